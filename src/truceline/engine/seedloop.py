"""The associator's seed loop, compiled with Numba: per seed, candidate sources from small sets
of arrivals, scored by how many sensors heard them (see ``associate`` for the method).

Arrays come from ``associate``: arrivals sorted by (sensor, time) as one key, each sensor's
neighbours (itself first) with their positions in its east-north-up frame.
"""

from __future__ import annotations

import numpy as np
from numba import njit

MAX_OPTIONS = 8
MAX_HYP_NEIGHBOURS = 8


@njit(cache=True)
def _chan(sx, sy, t, w, n, c):  # type: ignore[no-untyped-def]
    """Chan-Ho first stage, arrival 0 at the origin: returns (x, y, ok)."""
    a00 = a01 = a02 = a11 = a12 = a22 = 0.0
    b0 = b1 = b2 = 0.0
    for k in range(1, n):
        rho = c * (t[k] - t[0])
        r0, r1, r2 = -2.0 * sx[k], -2.0 * sy[k], -2.0 * rho
        y = rho * rho - sx[k] * sx[k] - sy[k] * sy[k]
        wk = w[k]
        a00 += wk * r0 * r0
        a01 += wk * r0 * r1
        a02 += wk * r0 * r2
        a11 += wk * r1 * r1
        a12 += wk * r1 * r2
        a22 += wk * r2 * r2
        b0 += wk * r0 * y
        b1 += wk * r1 * y
        b2 += wk * r2 * y
    ridge = 1e-9 * (a00 + a11 + a22) + 1e-9
    a00 += ridge
    a11 += ridge
    a22 += ridge
    det = (
        a00 * (a11 * a22 - a12 * a12)
        - a01 * (a01 * a22 - a12 * a02)
        + a02 * (a01 * a12 - a11 * a02)
    )
    if abs(det) < 1e-300:
        return 0.0, 0.0, False
    x = (
        b0 * (a11 * a22 - a12 * a12) - a01 * (b1 * a22 - a12 * b2) + a02 * (b1 * a12 - a11 * b2)
    ) / det
    yv = (
        a00 * (b1 * a22 - a12 * b2) - b0 * (a01 * a22 - a12 * a02) + a02 * (a01 * b2 - b1 * a02)
    ) / det
    ok = np.isfinite(x) and np.isfinite(yv) and abs(x) < 1e6 and abs(yv) < 1e6
    return x, yv, ok


@njit(cache=True)
def _dist_speed(px, py, sx, sy, sz, c, we, wn):  # type: ignore[no-untyped-def]
    dx, dy = sx - px, sy - py
    horiz = max(np.sqrt(dx * dx + dy * dy), 1e-3)
    dist = np.sqrt(horiz * horiz + sz * sz)
    return dist, c + (dx * we + dy * wn) / horiz


@njit(cache=True)
def _solve_with_wind(sx, sy, sz, t_obs, w, n, c, we, wn, iterations, t_use):  # type: ignore[no-untyped-def]
    """Chan-Ho fix corrected for wind; returns (x, y, t0 relative to arrival 0, ok)."""
    for k in range(n):
        t_use[k] = t_obs[k]
    px = py = 0.0
    for _ in range(iterations):
        px, py, ok = _chan(sx, sy, t_use, w, n, c)
        if not ok:
            return 0.0, 0.0, 0.0, False
        d0, v0 = _dist_speed(px, py, sx[0], sy[0], sz[0], c, we, wn)
        t0 = -d0 / v0
        for k in range(n):
            _dk, vk = _dist_speed(px, py, sx[k], sy[k], sz[k], c, we, wn)
            t_use[k] = t0 + (t_obs[k] - t0) * vk / c
    d0, v0 = _dist_speed(px, py, sx[0], sy[0], sz[0], c, we, wn)
    return px, py, -d0 / v0, True


@njit(cache=True)
def _hear(  # type: ignore[no-untyped-def]
    px,
    py,
    t0,
    t_seed,
    enu,
    sigma,
    nbrs,
    count,
    skey,
    span,
    t_min,
    stime,
    used,
    c,
    we,
    wn,
    slack,
    speed_slack,
    max_range,
    out_pos,
):
    """How many of the first ``count`` neighbours heard a source at (px, py) at t_seed + t0;
    fills out_pos with the chosen sorted position per neighbour (-1 if none)."""
    heard = 0
    d_seed, _v_seed = _dist_speed(px, py, enu[0, 0], enu[0, 1], enu[0, 2], c, we, wn)
    for j in range(count):
        out_pos[j] = -1
        if np.hypot(enu[j, 0] - px, enu[j, 1] - py) > max_range:
            continue  # too far away to have heard it
        d, v = _dist_speed(px, py, enu[j, 0], enu[j, 1], enu[j, 2], c, we, wn)
        pred = t_seed + t0 + d / v
        tol = 4.0 * sigma[j] + slack + abs(d - d_seed) * speed_slack / (c * c)
        base = nbrs[j] * span - t_min
        lo = np.searchsorted(skey, base + pred - tol, side="left")
        hi = np.searchsorted(skey, base + pred + tol, side="right")
        best, best_r = -1, 1e300
        for q in range(lo, hi):
            if not used[q]:
                r = abs(stime[q] - pred)
                if r < best_r:
                    best, best_r = q, r
        if best >= 0:
            out_pos[j] = best
            heard += 1
    return heard


@njit(cache=True)
def seed_loop(  # type: ignore[no-untyped-def]
    seeds,
    arrival_sensor,
    arrival_time,
    skey,
    stime,
    order,
    rank,
    span,
    t_min,
    nbr,
    nbr_count,
    nbr_enu,
    nbr_sigma,
    c_at,
    we_at,
    wn_at,
    max_range,
    min_sensors,
    hyp_neighbours,
    options,
    pick_slack,
    speed_slack,
    final_slack,
    final_speed_slack,
    refinements,
    min_coverage,
    prescore,
    shortlist,
    stage_min,
    stage_options,
    trios,
    combos,
    max_stray,
):
    """Group arrivals: returns the group number of every arrival (-1 for none)."""
    n = len(arrival_time)
    used = np.zeros(n, dtype=np.bool_)
    group_of = np.full(n, -1, dtype=np.int64)
    barren = np.zeros(n, dtype=np.bool_)
    n_groups = 0
    m_max = nbr.shape[1]
    opt_pos = np.empty((MAX_HYP_NEIGHBOURS, MAX_OPTIONS), dtype=np.int64)
    opt_n = np.empty(MAX_HYP_NEIGHBOURS, dtype=np.int64)
    use = np.empty(MAX_HYP_NEIGHBOURS, dtype=np.int64)
    sx = np.empty(m_max)
    sy = np.empty(m_max)
    sz = np.empty(m_max)
    tt = np.empty(m_max)
    ww = np.empty(m_max)
    t_use = np.empty(m_max)
    pos_buf = np.empty(m_max, dtype=np.int64)
    best_pos = np.empty(m_max, dtype=np.int64)
    top_x = np.empty(shortlist)
    top_y = np.empty(shortlist)
    top_t = np.empty(shortlist)
    top_s = np.empty(shortlist, dtype=np.int64)
    for stage in range(len(stage_min)):
        need = stage_min[stage]  # sensors an event needs in this sweep: strong events first
        n_options = stage_options[stage]
        for a in seeds:
            if used[rank[a]] or barren[a]:
                continue
            s0 = arrival_sensor[a]
            t_seed = arrival_time[a]
            c, we, wn = c_at[a], we_at[a], wn_at[a]
            cnt = nbr_count[s0]
            nbrs = nbr[s0]
            enu = nbr_enu[s0]
            sig = nbr_sigma[s0]
            # Options: the first unused arrivals at the nearest neighbours after the seed.
            h = 0
            for j in range(1, cnt):
                if h >= hyp_neighbours:
                    break
                reach = np.sqrt(enu[j, 0] ** 2 + enu[j, 1] ** 2 + enu[j, 2] ** 2) / c + pick_slack
                base = nbrs[j] * span - t_min
                lo = np.searchsorted(skey, base + t_seed - pick_slack, side="left")
                hi = np.searchsorted(skey, base + t_seed + reach, side="right")
                k = 0
                for q in range(lo, hi):
                    if k >= n_options:
                        break
                    if not used[q]:
                        opt_pos[h, k] = q
                        k += 1
                if k > 0:
                    use[h] = j
                    opt_n[h] = k
                    h += 1
            if h < 3:
                barren[a] = True  # fewer arrivals around it later: no use retrying
                continue
            # Candidates: seed + one option at each of three neighbours; keep a shortlist.
            n_top = 0
            near_all = min(prescore, cnt)
            done = False
            for tr in range(len(trios)):
                if done:
                    break
                i0, i1, i2 = trios[tr, 0], trios[tr, 1], trios[tr, 2]
                if i2 >= h:  # trios are in lexicographic order: i0 < i1 < i2
                    continue
                for cb in range(len(combos)):
                    o0, o1, o2 = combos[cb, 0], combos[cb, 1], combos[cb, 2]
                    if o0 >= opt_n[i0] or o1 >= opt_n[i1] or o2 >= opt_n[i2]:
                        continue
                    sx[0] = sy[0] = sz[0] = 0.0
                    tt[0] = 0.0
                    ww[0] = 1.0
                    for slot in range(3):
                        ii = i0 if slot == 0 else (i1 if slot == 1 else i2)
                        oo = o0 if slot == 0 else (o1 if slot == 1 else o2)
                        jj = use[ii]
                        sx[slot + 1] = enu[jj, 0]
                        sy[slot + 1] = enu[jj, 1]
                        sz[slot + 1] = enu[jj, 2]
                        tt[slot + 1] = stime[opt_pos[ii, oo]] - t_seed
                        ww[slot + 1] = 1.0
                    px, py, t0, ok = _solve_with_wind(sx, sy, sz, tt, ww, 4, c, we, wn, 2, t_use)
                    if not ok or px * px + py * py > max_range * max_range:
                        continue
                    score = _hear(
                        px,
                        py,
                        t0,
                        t_seed,
                        enu,
                        sig,
                        nbrs,
                        min(prescore, cnt),
                        skey,
                        span,
                        t_min,
                        stime,
                        used,
                        c,
                        we,
                        wn,
                        pick_slack,
                        speed_slack,
                        max_range,
                        pos_buf,
                    )
                    if score >= near_all:  # every near sensor heard it: look no further
                        top_x[0], top_y[0], top_t[0], top_s[0] = px, py, t0, score
                        n_top = 1
                        done = True
                        break
                    if n_top < shortlist:
                        top_x[n_top], top_y[n_top], top_t[n_top], top_s[n_top] = px, py, t0, score
                        n_top += 1
                    else:
                        worst = np.argmin(top_s)
                        if score > top_s[worst]:
                            top_x[worst], top_y[worst], top_t[worst] = px, py, t0
                            top_s[worst] = score
            # Full scores of the shortlist.
            best_score, bx, by, bt = -1, 0.0, 0.0, 0.0
            for q in range(n_top):
                score = _hear(
                    top_x[q],
                    top_y[q],
                    top_t[q],
                    t_seed,
                    enu,
                    sig,
                    nbrs,
                    cnt,
                    skey,
                    span,
                    t_min,
                    stime,
                    used,
                    c,
                    we,
                    wn,
                    pick_slack,
                    speed_slack,
                    max_range,
                    pos_buf,
                )
                if score > best_score:
                    best_score, bx, by, bt = score, top_x[q], top_y[q], top_t[q]
                    best_pos[:cnt] = pos_buf[:cnt]
            if best_score < need:
                continue
            # Refine on all that heard it, with the tight tolerance.
            good = True
            members = best_score
            for _ in range(refinements):
                if best_pos[0] < 0:
                    good = False
                    break
                m = 0
                for j in range(cnt):
                    if best_pos[j] >= 0:
                        sx[m], sy[m], sz[m] = enu[j, 0], enu[j, 1], enu[j, 2]
                        tt[m] = stime[best_pos[j]] - t_seed
                        ww[m] = 1.0 / (sig[j] * sig[j])
                        m += 1
                bx, by, bt, ok = _solve_with_wind(sx, sy, sz, tt, ww, m, c, we, wn, 3, t_use)
                if not ok:
                    good = False
                    break
                members = _hear(
                    bx,
                    by,
                    bt,
                    t_seed,
                    enu,
                    sig,
                    nbrs,
                    cnt,
                    skey,
                    span,
                    t_min,
                    stime,
                    used,
                    c,
                    we,
                    wn,
                    final_slack,
                    final_speed_slack,
                    max_range,
                    best_pos,
                )
            if not good or best_pos[0] < 0 or members < need:
                continue
            # Coverage: a real source is heard by most sensors nearer than its furthest
            # listener; a phantom made of arrivals from several sources is heard by few of
            # them. Up to ``max_stray`` far listeners are dropped, furthest first, if that
            # makes coverage hold.
            m = 0
            for j in range(cnt):
                if best_pos[j] >= 0:
                    tt[m] = np.hypot(enu[j, 0] - bx, enu[j, 1] - by)
                    m += 1
            listener_d = np.sort(tt[:m])
            all_d = np.empty(cnt)
            for j in range(cnt):
                all_d[j] = np.hypot(enu[j, 0] - bx, enu[j, 1] - by)
            all_d = np.sort(all_d)
            keep_n = 0
            for k in range(m - 1, max(min_sensors - 2, m - 2 - max_stray), -1):
                far = listener_d[k]
                nearer = np.searchsorted(all_d, far, side="right")
                if k + 1 >= min_coverage * nearer:
                    keep_n = k + 1
                    break
            if keep_n < need:
                continue
            far = listener_d[keep_n - 1]
            for j in range(cnt):
                if best_pos[j] >= 0 and np.hypot(enu[j, 0] - bx, enu[j, 1] - by) > far:
                    best_pos[j] = -1
            for j in range(cnt):
                q = best_pos[j]
                if q >= 0:
                    used[q] = True
                    group_of[order[q]] = n_groups
            n_groups += 1
    return group_of

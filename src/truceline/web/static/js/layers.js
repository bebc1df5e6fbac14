// The map's style, all offline: the theatre's base layer (from /web/theatre), the events
// (clustered, coloured by the attributed party), their error ellipses and impact-launch links
// (drawn for the visible events from DETAIL_ZOOM on), and the sensors.

export const PALETTE = ["#1f6fd1", "#d9480f", "#2f9e44", "#9c36b5", "#f59f00", "#0b7285"];
export const UNATTRIBUTED = "#7a7f87";
export const DETAIL_ZOOM = 9; // ellipses and links from this zoom on
export const DETAIL_LIMIT = 1000; // at most this many events get an ellipse at once
export const CLUSTER_MAX_ZOOM = 10;
const EMPTY = { type: "FeatureCollection", features: [] };

/** Party id -> colour, in the theatre's order of parties. */
export function partyColours(parties) {
  return Object.fromEntries(parties.map((p, i) => [p.id, PALETTE[i % PALETTE.length]]));
}

/** A MapLibre style with no remote resource: the base layer, then the event layers. */
export function offlineStyle(theatre, colours) {
  const parties = Object.keys(colours);
  return {
    version: 8,
    sources: {
      theatre: { type: "geojson", data: theatre, attribution: theatre.attribution || "" },
      detail: { type: "geojson", data: EMPTY },
      sensors: { type: "geojson", data: EMPTY },
      events: {
        type: "geojson",
        data: EMPTY,
        cluster: true,
        clusterMaxZoom: CLUSTER_MAX_ZOOM,
        clusterRadius: 48,
        clusterProperties: Object.fromEntries(parties.map((p) => [
          `n_${p}`, ["+", ["case", ["==", ["get", "party"], p], 1, 0]],
        ])),
      },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#dfe7ee" } },
      ...baseLayers(colours),
      ...detailLayers(colours),
      {
        id: "sensors", type: "circle", source: "sensors", minzoom: 6,
        paint: { "circle-radius": 2.5, "circle-color": "#495057", "circle-opacity": 0.7 },
      },
      ...eventLayers(colours),
    ],
  };
}

function partyMatch(colours, property = "party") {
  const pairs = Object.entries(colours).flat();
  return pairs.length ? ["match", ["get", property], ...pairs, UNATTRIBUTED] : UNATTRIBUTED;
}

function isLayer(name) {
  return ["==", ["get", "layer"], name];
}

function baseLayers(colours) {
  return [
    {
      id: "control-areas", type: "fill", source: "theatre", filter: isLayer("control_area"),
      paint: { "fill-color": partyMatch(colours), "fill-opacity": 0.12 },
    },
    {
      id: "zones", type: "line", source: "theatre", filter: isLayer("zone"), minzoom: 5,
      paint: {
        "line-color": ["match", ["get", "rule"], "buffer", "#868e96", partyMatch(colours)],
        "line-width": 0.8, "line-dasharray": [3, 3], "line-opacity": 0.6,
      },
    },
    {
      id: "border", type: "line", source: "theatre", filter: isLayer("border"),
      paint: { "line-color": "#343a40", "line-width": 1.4 },
    },
    {
      id: "contact-line", type: "line", source: "theatre", filter: isLayer("contact_line"),
      paint: { "line-color": "#c92a2a", "line-width": 2.2 },
    },
    {
      id: "protected-sites", type: "circle", source: "theatre",
      filter: isLayer("protected_site"),
      paint: {
        "circle-radius": 5, "circle-color": "#ffffff",
        "circle-stroke-color": "#2b8a3e", "circle-stroke-width": 2.5,
      },
    },
  ];
}

function detailLayers(colours) {
  return [
    {
      id: "ellipses", type: "fill", source: "detail", filter: ["==", ["get", "what"], "ellipse"],
      paint: { "fill-color": partyMatch(colours), "fill-opacity": 0.18 },
    },
    {
      id: "ellipse-outlines", type: "line", source: "detail",
      filter: ["==", ["get", "what"], "ellipse"],
      paint: { "line-color": partyMatch(colours), "line-width": 1 },
    },
    {
      id: "links", type: "line", source: "detail", filter: ["==", ["get", "what"], "link"],
      paint: { "line-color": partyMatch(colours), "line-width": 1.5, "line-dasharray": [2, 1] },
    },
  ];
}

function clusterColour(colours) {
  const parties = Object.keys(colours);
  if (!parties.length) return UNATTRIBUTED;
  const n = (p) => ["get", `n_${p}`];
  const cases = parties.flatMap((p) => [
    ["all", true, ...parties.filter((q) => q !== p).map((q) => [">", n(p), n(q)])],
    colours[p],
  ]);
  return ["case", ...cases, UNATTRIBUTED];
}

function eventLayers(colours) {
  return [
    {
      id: "clusters", type: "circle", source: "events", filter: ["has", "point_count"],
      paint: {
        "circle-color": clusterColour(colours),
        "circle-opacity": 0.8,
        "circle-radius": ["step", ["get", "point_count"], 12, 10, 16, 100, 21, 1000, 27, 10000, 34],
        "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5,
      },
    },
    {
      // Counts as images drawn in the browser (see installCountImages): text would need a
      // glyph server, and HTML labels cost every frame.
      id: "cluster-counts", type: "symbol", source: "events", filter: ["has", "point_count"],
      layout: {
        "icon-image": ["concat", "count:", ["get", "point_count_abbreviated"]],
        "icon-allow-overlap": true,
        "icon-ignore-placement": true,
      },
    },
    {
      id: "events", type: "circle", source: "events", filter: ["!", ["has", "point_count"]],
      paint: {
        "circle-color": partyMatch(colours),
        "circle-radius": ["match", ["get", "kind"], "launch", 6, 5],
        "circle-stroke-color": ["match", ["get", "kind"], "impact", "#212529", "#ffffff"],
        "circle-stroke-width": 1.5,
      },
    },
  ];
}

/**
 * The one-sigma error ellipse as a closed ring of [lon, lat] (local flat-earth offsets:
 * ellipses are kilometres at most). Azimuth of the major axis in degrees from north.
 */
export function ellipseRing(lon, lat, majorM, minorM, azimuthDeg, steps = 24) {
  const az = (azimuthDeg * Math.PI) / 180;
  const mPerDegLat = 110574;
  const mPerDegLon = 111320 * Math.cos((lat * Math.PI) / 180);
  const ring = [];
  for (let i = 0; i <= steps; i += 1) {
    const theta = (2 * Math.PI * (i % steps)) / steps;
    const a = majorM * Math.cos(theta);
    const b = minorM * Math.sin(theta);
    const east = a * Math.sin(az) + b * Math.cos(az);
    const north = a * Math.cos(az) - b * Math.sin(az);
    ring.push([lon + east / mPerDegLon, lat + north / mPerDegLat]);
  }
  return ring;
}

/** Ellipses of the events inside ``bounds`` and the links of their pairs, as GeoJSON. */
export function detailFeatures(records, byId, bounds) {
  const [[west, south], [east, north]] = bounds;
  const features = [];
  const linked = new Set();
  let n = 0;
  for (const r of records) {
    if (r.lon < west || r.lon > east || r.lat < south || r.lat > north) continue;
    if (n >= DETAIL_LIMIT) break;
    n += 1;
    const party = r.party ?? "";
    if (r.major > 0 && r.minor > 0) {
      const ring = ellipseRing(r.lon, r.lat, r.major, r.minor, r.az ?? 0);
      features.push(feature({ type: "Polygon", coordinates: [ring] }, { what: "ellipse", id: r.id, party }));
    }
    const other = r.pair ? byId.get(r.pair) : undefined;
    const key = r.id < r.pair ? `${r.id} ${r.pair}` : `${r.pair} ${r.id}`;
    if (other && !linked.has(key)) {
      linked.add(key);
      const launch = r.kind === "launch" ? r : other;
      const line = [[r.lon, r.lat], [other.lon, other.lat]];
      features.push(feature(
        { type: "LineString", coordinates: line },
        { what: "link", id: key, party: launch.party ?? "" },
      ));
    }
  }
  return { type: "FeatureCollection", features };
}

/** The point features of the records (the clustered source's data). */
export function pointFeatures(records) {
  const features = new Array(records.length);
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i];
    features[i] = feature(
      { type: "Point", coordinates: [r.lon, r.lat] },
      { id: r.id, party: r.party ?? "", kind: r.kind },
    );
  }
  return { type: "FeatureCollection", features };
}

function feature(geometry, properties) {
  return { type: "Feature", geometry, properties };
}

/** Draw the image of a cluster's count ("count:1.2k") when the map first needs it. */
export function installCountImages(map) {
  map.on("styleimagemissing", (e) => {
    if (!e.id.startsWith("count:") || map.hasImage(e.id)) return;
    const text = e.id.slice("count:".length);
    const ratio = 2;
    const canvas = document.createElement("canvas");
    const g = canvas.getContext("2d");
    const font = `600 ${12 * ratio}px system-ui, sans-serif`;
    g.font = font;
    canvas.width = Math.ceil(g.measureText(text).width) + 4 * ratio;
    canvas.height = 16 * ratio;
    g.font = font;
    g.fillStyle = "#ffffff";
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(text, canvas.width / 2, canvas.height / 2 + ratio);
    map.addImage(e.id, g.getImageData(0, 0, canvas.width, canvas.height), { pixelRatio: ratio });
  });
}

/** Start with the data credits folded (the "i" button opens them): they are long. */
export function collapseAttribution(map) {
  const control = map.getContainer().querySelector(".maplibregl-ctrl-attrib");
  control?.classList.remove("maplibregl-compact-show");
  control?.removeAttribute("open");
}

/** The legend: one swatch per party, and the unattributed. */
export function legendItems(parties, colours, notAttributed = "not attributed") {
  return [...parties.map((p) => [colours[p.id], `${p.id}: ${p.name}`]), [UNATTRIBUTED, notAttributed]];
}

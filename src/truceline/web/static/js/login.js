// The login page: a token is checked with the API, then kept for this tab.

import { ApiError, logIn, renderHeader, t, whoAmI } from "./session.js";

renderHeader(await whoAmI().catch(() => ({ name: "public", role: "public" })));
document.body.classList.remove("pending");
const form = document.getElementById("login");
const error = document.getElementById("login-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  try {
    await logIn(form.elements.token.value.trim());
    const next = new URLSearchParams(location.search).get("next");
    location.assign(next && next.startsWith("/ui") ? next : "/ui");
  } catch (e) {
    error.hidden = false;
    error.textContent = e instanceof ApiError && e.status === 401
      ? t("This token is not valid (unknown, revoked or mistyped).")
      : t("Could not log in: {reason}", { reason: e.message });
  }
});
document.body.dataset.ready = "true";

// The map's frame (app_pages/map_component.py): draws a folium map the page sent, reports clicks and moves.
//
// No inline script and no eval, so that the Content-Security-Policy of every page stays `script-src 'self'`:
// the map's own script is a file of the same origin, written by the server and named after its content, and
// loaded here by address. It speaks Streamlit's component protocol (version 1) by window messages.
(() => {
  "use strict";
  const REPORT_DELAY_MS = 250; // a pan or a wheel zoom ends in a burst of events: one report for the burst
  const CENTRE_DECIMALS = 4; // the precision the page keeps (some 10 m): a map drawn where the page says reports it
  const post = (type, fields) => window.parent.postMessage({ isStreamlitMessage: true, type, ...fields }, "*");
  const state = { script: null, map: null, clicked: null, objectClicked: null, objectTooltip: null, sent: null };
  const loaded = new Set();
  let reportTimer = null;
  let pendingReport = null; // the report waiting for the end of a burst
  let latest = null; // the last drawing the page asked for
  let drawing = Promise.resolve(); // drawings one after the other: two maps' scripts use the same element names
  let drawsAsked = 0, drawsDone = 0;
  window.reindusMapsDrawn = 0; // maps drawn in this frame (tests and benches wait for the next one)
  // True when the frame has drawn what the page last sent and has no report waiting: what it does next is up to
  // the user (tests wait for it rather than for a fixed time).
  window.reindusSettled = false;
  const settle = () => { window.reindusSettled = drawsDone === drawsAsked && pendingReport === null; };

  function loadScripts(sources, mapScript) {
    // All at once, executed in this order (async = false): the libraries download in parallel with the map's
    // script instead of one after the other. A library already run is not run again; the map's script is.
    const pending = [...sources.filter((src) => !loaded.has(src)), mapScript].map((src) => new Promise((resolve, reject) => {
      const element = document.createElement("script");
      element.src = src;
      element.async = false;
      if (src === mapScript) element.dataset.map = "";
      element.onload = () => { loaded.add(src); resolve(); };
      element.onerror = () => reject(new Error(`script non chargé : ${src}`));
      document.head.appendChild(element);
    }));
    return Promise.all(pending);
  }

  function addStylesheet(href) {
    if (document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) return; // not the preload
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    // Before the map's own styles, which override the libraries' (a numbered disc is a flex box, not
    // Leaflet's block marker).
    document.head.insertBefore(link, document.getElementById("styles"));
  }

  function textOf(content, target) {
    // A tooltip's content is text, HTML or (GeoJson tooltips) a function of the layer returning an element.
    if (typeof content === "function") content = content(target);
    if (content instanceof HTMLElement) return content.innerText.trim();
    // Parsed in a separate document: nothing in it loads or runs.
    return (new DOMParser().parseFromString(String(content), "text/html").body.textContent || "").trim();
  }

  // The same report whatever the order of its keys (the page's default value lists them in its own order).
  function canonical(value) {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }

  function rounded(latlng) {
    const factor = 10 ** CENTRE_DECIMALS;
    return { lat: Math.round(latlng.lat * factor) / factor, lng: Math.round(latlng.lng * factor) / factor };
  }

  function report(returned) {
    const map = state.map;
    if (!map) return;
    const all = {
      last_clicked: state.clicked,
      last_object_clicked: state.objectClicked,
      last_object_clicked_tooltip: state.objectTooltip,
      bounds: map.getBounds(),
      zoom: map.getZoom(),
      center: rounded(map.getCenter()),
    };
    const value = Object.fromEntries(Object.entries(all).filter(([key]) => returned.includes(key)));
    const text = canonical(value);
    if (text === state.sent) return;
    state.sent = text;
    post("streamlit:setComponentValue", { value: JSON.parse(JSON.stringify(value)), dataType: "json" });
  }

  function watch(map, returned) {
    const later = () => {
      clearTimeout(reportTimer);
      pendingReport = () => { pendingReport = null; report(returned); settle(); };
      reportTimer = setTimeout(pendingReport, REPORT_DELAY_MS);
      settle();
    };
    map.on("click", (event) => { state.clicked = event.latlng; later(); });
    map.on("moveend", later);
    const onObject = (event) => {
      state.objectClicked = event.latlng;
      const source = event.sourceTarget, target = event.target;
      if (source && source.getTooltip && source.getTooltip()) {
        state.objectTooltip = textOf(source.getTooltip().getContent(), source);
      } else if (target && target.getTooltip && target.getTooltip()) {
        state.objectTooltip = textOf(target.getTooltip().getContent(), source);
      }
      later();
    };
    map.eachLayer((layer) => layer.on("click", onObject));
    report(returned);
  }

  function takeDown() {
    // The map drawn before, removed from the frame: its layers, its script, the paint time tests read.
    const map = state.map;
    if (!map) return false;
    clearTimeout(reportTimer);
    if (pendingReport) pendingReport(); // a move made while the page ran is not lost: the page draws it next
    state.map = null;
    const wheel = Boolean(map.scrollWheelZoom && map.scrollWheelZoom.enabled());
    map.remove();
    document.querySelectorAll("script[data-map]").forEach((element) => element.remove());
    window.reindusPainted = null;
    window.reindusCurrentMap = null;
    return wheel;
  }

  async function draw(args) {
    // A new drawing replaces the map in this frame (the page keeps the frame, its libraries and its place): the
    // view is the page's, the clicks already reported stay reported, and the wheel stays with a map in use.
    if (args.script === state.script) return;
    state.script = args.script;
    const wheel = takeDown();
    const container = document.getElementById("carte");
    document.getElementById("styles").textContent = args.styles;
    args.css.forEach(addStylesheet);
    container.innerHTML = args.html;
    await loadScripts(args.js, args.script);
    const map = window[args.map];
    if (wheel && map.scrollWheelZoom) map.scrollWheelZoom.enable();
    state.map = map;
    if (state.sent === null) state.sent = canonical(args.default); // later, the page holds what was last sent
    window.reindusMapsDrawn += 1;
    watch(map, args.returned);
  }

  window.addEventListener("message", (event) => {
    const data = event.data;
    if (event.source !== window.parent || !data || data.type !== "streamlit:render") return;
    const args = data.args;
    document.getElementById("carte").style.height = `${args.height}px`;
    post("streamlit:setFrameHeight", { height: args.height }); // the page keeps the map's room while it loads
    latest = args;
    drawsAsked += 1;
    settle();
    drawing = drawing
      .then(() => (args === latest ? draw(args) : undefined))
      .catch((error) => {
        state.script = null;
        document.getElementById("carte").textContent = `La carte n'a pas pu être dessinée : ${error.message}`;
      })
      .finally(() => { drawsDone += 1; settle(); });
  });
  post("streamlit:componentReady", { apiVersion: 1 });
})();

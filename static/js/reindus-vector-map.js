/*
 * reindus: the map's vector tiles, drawn by protomaps-leaflet from one PMTiles archive served by the app.
 *
 * window.reindusVectorMap(map, config) adds the layer described by `config` (written by
 * layers/vector_tiles.py: paint and label rules as data, no code) to a Leaflet map, with a hover
 * tooltip naming what is under the pointer. Every name is drawn on the canvas or written with
 * textContent: a name from the data is never HTML.
 *
 * For tests and benchmarks it exposes window.reindusCurrentMap.reindusVector.visibleLabels() (text and box
 * of every name drawn in the view) and .numbered (the territories drawn as a number with a key), fires "reindus:painted" on the map each time both layers (shapes and
 * names) have loaded, and sets window.reindusPainted (performance.now() of the first complete paint of
 * the current map).
 */
(function () {
  "use strict";

  // The labels' texts, by the draw function protomaps-leaflet keeps in its collision index.
  var LABEL_TEXT = new WeakMap();

  function matches(where, feature) {
    if (!where) return true;
    var value = feature.props[where.prop];
    return where.values.indexOf(value === undefined ? null : String(value)) >= 0;
  }

  function atLeast(bound, feature) {
    return !bound || Number(feature.props[bound.prop]) >= bound.value;
  }

  function below(bound, feature) {
    return !bound || !(Number(feature.props[bound.prop]) >= bound.value);
  }

  function filterOf(rule) {
    if (!rule.where && !rule.unless && !rule.atLeast && !rule.below) return undefined;
    return function (zoom, feature) {
      return matches(rule.where, feature) && !(rule.unless && matches(rule.unless, feature)) &&
        atLeast(rule.atLeast, feature) && below(rule.below, feature);
    };
  }

  // What every protomaps-leaflet rule takes from one of ours: its data layer, zooms and filter.
  function ruleOf(rule, symbolizer) {
    return {
      dataLayer: rule.layer,
      minzoom: rule.minzoom,
      maxzoom: rule.maxzoom,
      symbolizer: symbolizer,
      filter: filterOf(rule),
    };
  }

  function paintRule(P, rule) {
    var symbolizer;
    if (rule.type === "fill") {
      symbolizer = new P.PolygonSymbolizer({ fill: rule.color, opacity: rule.opacity });
    } else {
      symbolizer = new P.LineSymbolizer({
        color: rule.color,
        width: rule.width,
        opacity: rule.opacity === undefined ? 1 : rule.opacity,
        dash: rule.dash || undefined,
        dashColor: rule.color,
        dashWidth: rule.width,
        lineJoin: "round",
      });
    }
    return ruleOf(rule, symbolizer);
  }

  function labelRule(P, rule) {
    var text = new P.CenteredTextSymbolizer({
      labelProps: [rule.text],
      font: rule.font,
      fill: rule.color,
      stroke: "#ffffff",
      width: rule.halo,
      maxLineChars: rule.maxLineChars,
      lineHeight: 1.25,
    });
    // A margin around each name, so two names never touch; the text is remembered for visibleLabels().
    var padded = new P.Padding(rule.padding, text);
    var symbolizer = {
      place: function (layout, geom, feature) {
        var labels = padded.place(layout, geom, feature);
        if (labels) labels.forEach(function (label) { LABEL_TEXT.set(label.draw, String(feature.props[rule.text])); });
        return labels;
      },
    };
    var placed = ruleOf(rule, symbolizer);
    placed.sort = function (a, b) { return (b.priority || 0) - (a.priority || 0); };
    return placed;
  }

  function hoverText(config, picked, zoom) {
    var lines = [];
    config.hover.forEach(function (entry) {
      if (zoom < entry.minzoom) return;
      picked.forEach(function (hit) {
        if (hit.layerName !== entry.layer || !matches(entry.where, hit.feature)) return;
        var line = entry.title + " : " + hit.feature.props[entry.text];
        if (lines.indexOf(line) < 0) lines.push(line);
      });
    });
    return lines;
  }

  function addHover(map, layer, config) {
    var tooltip = L.tooltip({ sticky: true, direction: "top", offset: [0, -8], className: "reindus-hover" });
    var pending = null;
    map.on("mousemove", function (event) {
      if (pending) return;
      pending = window.requestAnimationFrame(function () {
        pending = null;
        var picked = layer.queryTileFeaturesDebug(event.latlng.lng, event.latlng.lat).get("") || [];
        var lines = hoverText(config, picked, map.getZoom());
        if (!lines.length) { map.closeTooltip(tooltip); return; }
        var content = document.createElement("div");
        lines.forEach(function (line) {
          var row = document.createElement("div");
          row.textContent = line;
          content.appendChild(row);
        });
        tooltip.setLatLng(event.latlng).setContent(content);
        if (!map.hasLayer(tooltip)) tooltip.openOn(map);
      });
    });
    map.on("mouseout", function () { map.closeTooltip(tooltip); });
  }

  function visibleLabels(map, layer) {
    var zoom = Math.round(map.getZoom());
    var index = layer.labelers.getIndex(zoom);
    if (!index) return [];
    var size = map.getSize();
    var seen = new Set();
    var shown = [];
    index.tree.all().forEach(function (item) {
      var label = item.indexedLabel;
      if (seen.has(label)) return;
      seen.add(label);
      var topLeft = map.latLngToContainerPoint(map.unproject([item.minX, item.minY], zoom));
      var bottomRight = map.latLngToContainerPoint(map.unproject([item.maxX, item.maxY], zoom));
      if (bottomRight.x < 0 || bottomRight.y < 0 || topLeft.x > size.x || topLeft.y > size.y) return;
      shown.push({
        text: LABEL_TEXT.get(label.draw) || "",
        left: topLeft.x, top: topLeft.y, right: bottomRight.x, bottom: bottomRight.y,
      });
    });
    return shown;
  }

  // A number goes at the territory's label point, or beside it when a name or another number is there: the
  // nearest place, by half discs up to three discs away, that overlaps nothing and lies inside the territory (a
  // number far outside could seem to belong to a neighbour, or sit in the sea); else the nearest free place one
  // disc away at most, as a name's edge may cross a border; else, of those places, the one that covers the least.
  var NUMBER_REACH = 3;
  var NUMBER_OFFSETS = [];
  for (var dx = -NUMBER_REACH; dx <= NUMBER_REACH; dx += 0.5) {
    for (var dy = -NUMBER_REACH; dy <= NUMBER_REACH; dy += 0.5) NUMBER_OFFSETS.push([dx, dy]);
  }
  NUMBER_OFFSETS.sort(function (a, b) { return (a[0] * a[0] + a[1] * a[1]) - (b[0] * b[0] + b[1] * b[1]); });

  function overlapArea(box, taken) {
    var area = 0;
    taken.forEach(function (other) {
      var width = Math.min(box.right, other.right) - Math.max(box.left, other.left);
      var height = Math.min(box.bottom, other.bottom) - Math.max(box.top, other.top);
      if (width > 0 && height > 0) area += width * height;
    });
    return area;
  }

  // True, false, or null when no tile under the point is loaded.
  function insideTerritory(map, shapes, point, label) {
    var at = map.containerPointToLatLng(point);
    var hits = shapes.queryTileFeaturesDebug(at.lng, at.lat).get("") || [];
    if (!hits.length) return null;
    return hits.some(function (hit) { return hit.layerName === "territoires" && hit.feature.props.label === label; });
  }

  function placeNumber(map, shapes, point, taken, size) {
    var anchor = map.latLngToContainerPoint([point.lat, point.lon]);
    var view = map.getSize();
    var half = size / 2;
    var freeNear = null;
    var least = null;
    var leastOverlap = Infinity;
    for (var i = 0; i < NUMBER_OFFSETS.length; i++) {
      var offset = NUMBER_OFFSETS[i];
      var x = anchor.x + offset[0] * size, y = anchor.y + offset[1] * size;
      if (i > 0 && (x < half || y < half || x > view.x - half || y > view.y - half)) continue;
      var candidate = { left: x - half, top: y - half, right: x + half, bottom: y + half };
      var overlap = overlapArea(candidate, taken);
      var near = Math.max(Math.abs(offset[0]), Math.abs(offset[1])) <= 1;
      if (overlap > 0 && (overlap >= leastOverlap || (freeNear && near))) continue;
      var inside = i === 0 || insideTerritory(map, shapes, [x, y], point.label);
      if (overlap === 0 && inside === true) { least = candidate; break; }
      if (inside !== true && !near) continue;
      if (overlap === 0) { freeNear = freeNear || candidate; continue; }
      least = candidate;
      leastOverlap = overlap;
    }
    var box = (least && overlapArea(least, taken) === 0) ? least : (freeNear || least);
    taken.push(box);
    return map.containerPointToLatLng([(box.left + box.right) / 2, (box.top + box.bottom) / 2]);
  }

  // Every territory drawn is named: one whose name did not fit (two names never overlap) is drawn as its number,
  // and the map's key gives the number and the name. Recomputed after each paint and move, for what is in view.
  function numberUnnamed(map, shapes, names, config) {
    if (!config.keyed || !config.keyed.length) return;
    var numbers = L.layerGroup().addTo(map);
    var keyOpen = Boolean(config.keyRoom);
    var key = L.control({ position: "topright" });
    key.onAdd = function () {
      var box = L.DomUtil.create("div", "reindus-key");
      box.hidden = true; // until the map has painted and some territory needs a number: never an empty box
      box.style.font = config.keyFont;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    key.addTo(map);
    var update = function () {
      var labels = visibleLabels(map, names);
      var named = new Set(labels.map(function (label) { return label.text; }));
      var view = map.getBounds();
      var keyed = config.keyed.filter(function (point) {
        return !named.has(point.label) && view.contains([point.lat, point.lon]);
      });
      numbers.clearLayers();
      var taken = labels.slice();
      keyed.forEach(function (point) {
        var icon = L.divIcon({ className: "reindus-number", html: "", iconSize: null });
        var at = placeNumber(map, shapes, point, taken, config.keySize);
        var marker = L.marker(at, { icon: icon, interactive: false, keyboard: false });
        numbers.addLayer(marker);
        var disc = marker.getElement();
        disc.textContent = String(point.number);
        // The disc is the square the placement measured.
        Object.assign(disc.style, {
          font: config.keyFont, width: config.keySize + "px", height: config.keySize + "px",
          marginLeft: -config.keySize / 2 + "px", marginTop: -config.keySize / 2 + "px",
        });
      });
      var box = key.getContainer();
      box.replaceChildren();
      box.hidden = !keyed.length;
      // Folded to one line where the map has no room kept for it (the Carte), open on a slide.
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "reindus-key-toggle";
      toggle.setAttribute("aria-expanded", String(keyOpen));
      toggle.textContent = keyed.length + (keyed.length > 1 ? " territoires numérotés" : " territoire numéroté");
      var list = document.createElement("div");
      list.hidden = !keyOpen;
      toggle.addEventListener("click", function () {
        keyOpen = !keyOpen;
        list.hidden = !keyOpen;
        toggle.setAttribute("aria-expanded", String(keyOpen));
      });
      box.append(toggle, list);
      keyed.forEach(function (point) {
        var row = document.createElement("div");
        var number = document.createElement("b");
        number.textContent = String(point.number);
        var name = document.createElement("span");
        name.textContent = point.label;
        row.append(number, name);
        list.appendChild(row);
      });
      map.reindusVector.numbered = keyed.map(function (point) { return point.label; });
    };
    var pending = null;
    var later = function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(update, 150);
    };
    map.on("reindus:painted moveend", later);
  }

  // Fit the bounds now if the frame has a size, else as soon as it gets one; and tell Leaflet of every later
  // resize. A component frame can be laid out at 0 × 0 first, where fitBounds fits nothing.
  function followSize(map, bounds, maxZoom, padTop, padRight) {
    // Room kept above for a slide's title and on the right for the key of numbered territories (Présentation).
    var options = {
      animate: false, maxZoom: maxZoom, paddingTopLeft: [0, padTop || 0], paddingBottomRight: [padRight || 0, 0],
    };
    var pending = bounds;
    var size = map.getSize();
    if (pending && size.x > 0 && size.y > 0) {
      map.fitBounds(pending, options);
      pending = null;
    }
    if (!window.ResizeObserver) return;
    var container = map.getContainer();
    new window.ResizeObserver(function () {
      if (!container.clientWidth || !container.clientHeight) return;
      map.invalidateSize({ pan: false });
      if (pending) {
        map.fitBounds(pending, options);
        pending = null;
      }
    }).observe(container);
  }

  function sharedViews(url, maxDataZoom, fresh) {
    var shared = window.reindusTileViews || (window.reindusTileViews = new Map());
    var key = url + " " + maxDataZoom;
    if (!shared.has(key)) shared.set(key, fresh);
    return shared.get(key);
  }

  window.reindusVectorMap = function (map, config) {
    var P = window.protomapsL;
    // The map frame draws each new map of a page in the same frame: the paint time and the map are the new one's.
    window.reindusPainted = null;
    window.reindusCurrentMap = map;
    // Names are measured in Inter: wait for the font, or the boxes of the collision test would be the fallback's.
    var fonts = (config.fonts || []).map(function (font) {
      return document.fonts ? document.fonts.load(font) : Promise.resolve();
    });
    var common = { url: config.url, levelDiff: 0, maxDataZoom: config.maxDataZoom, tasks: fonts, attribution: "" };
    var layer = P.leafletLayer(Object.assign({}, common, {
      paintRules: config.paint.map(function (rule) { return paintRule(P, rule); }),
      labelRules: [],
      pane: "tilePane",
    }));
    // Names are a second layer over the project circles and foncier sites (Leaflet's overlay pane), as the
    // folium labels were: a name is never hidden under a circle. It reads the same tiles (one cache, each
    // tile fetched and decoded once) and lets clicks through to what is under it.
    if (!map.getPane("reindusNames")) {
      var pane = map.createPane("reindusNames");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
    }
    var names = P.leafletLayer(Object.assign({}, common, {
      paintRules: [],
      labelRules: config.labels.map(function (rule) { return labelRule(P, rule); }),
      pane: "reindusNames",
    }));
    // Every map drawn in the frame (a click on the Carte, the next slide) reads the same archive: one tile cache
    // for all of them, so that a new map paints from the tiles already read and decoded instead of asking the
    // server for them again.
    layer.views = sharedViews(config.url, config.maxDataZoom, layer.views);
    names.views = layer.views;
    // protomaps-leaflet forgets the names of all but the 16 tiles nearest the last one loaded: a full-screen
    // map shows 40, and a name forgotten while still drawn could be overlapped by a later one.
    names.labelers.maxLabeledTiles = 256;
    var loaded = new Set();
    [layer, names].forEach(function (part) {
      part.on("loading", function () { loaded.delete(part); });
      part.on("load", function () {
        loaded.add(part);
        if (loaded.size < 2) return;
        if (window.reindusCurrentMap === map && !window.reindusPainted) window.reindusPainted = performance.now();
        map.fire("reindus:painted");
      });
      part.addTo(map);
    });
    followSize(map, config.fit, config.fitMaxZoom, config.titleRoom, config.keyed.length ? config.keyRoom : 0);
    addHover(map, layer, config);
    map.reindusVector = {
      layer: layer,
      names: names,
      visibleLabels: function () { return visibleLabels(map, names); },
      numbered: null,  // set after the first paint
      keyed: config.keyed,
    };
    numberUnnamed(map, layer, names, config);
    return layer;
  };
})();

/* The map (maps/map.html) and a project's point on its page (maps/_project_point.html).
   The page gives its data as JSON (json_script); the outlines come from the site's boundary
   file through /map/boundaries.json, never from online tiles. Without outlines the points
   stand on a plain background. Dense points are grouped on a grid of the screen, again after
   every zoom and pan; a group's click zooms in, a point's opens its project. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;

  const CELL = 44; // px: points closer than this on the screen are grouped
  const PLAIN = "tiaodu-plain";
  const OUTLINES = "tiaodu-outlines";

  function load(url) {
    if (!url) return Promise.resolve(null);
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  /* A blank rectangle around the positions: the background of a map without outlines. */
  function plainMap(positions) {
    let west = 180, east = -180, south = 90, north = -90;
    positions.forEach(function (p) {
      west = Math.min(west, p[0]); east = Math.max(east, p[0]);
      south = Math.min(south, p[1]); north = Math.max(north, p[1]);
    });
    if (west > east) { west = -1; east = 1; south = -1; north = 1; }
    const pad = Math.max(east - west, north - south, 0.02) * 0.08;
    west -= pad; east += pad; south -= pad; north += pad;
    return {
      type: "FeatureCollection",
      features: [{
        type: "Feature", properties: { name: "" },
        geometry: { type: "Polygon", coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] }
      }]
    };
  }

  function register(outlines, positions) {
    if (outlines && outlines.features && outlines.features.length) {
      echarts.registerMap(OUTLINES, outlines);
      return OUTLINES;
    }
    echarts.registerMap(PLAIN, plainMap(positions));
    return PLAIN;
  }

  function geoOption(name) {
    const plain = name === PLAIN;
    return {
      map: name, roam: true, scaleLimit: { min: 0.8, max: 60 }, silent: plain,
      top: 16, bottom: 16, left: 16, right: 16,
      label: { show: !plain, fontSize: 11, color: "#334155" },
      itemStyle: { areaColor: plain ? "#f8fafc" : "#eef1f4", borderColor: plain ? "#e2e8f0" : "#64748b", borderWidth: 1 },
      emphasis: { label: { show: !plain }, itemStyle: { areaColor: "#cfe2ff" } },
      select: { disabled: true }
    };
  }

  /* Colour stops from the bad end of a figure to the good one; muted, so the points show. */
  const RAMPS = {
    high: ["#f5c2c7", "#ffe69c", "#a3cfbb"],
    low: ["#a3cfbb", "#ffe69c", "#f5c2c7"],
    none: ["#e7f0fb", "#9ec5fe"]
  };

  function hex(colour) {
    return [1, 3, 5].map(function (i) { return parseInt(colour.slice(i, i + 2), 16); });
  }

  function ramp(stops, share) {
    const scaled = Math.max(0, Math.min(1, share)) * (stops.length - 1);
    const index = Math.min(Math.floor(scaled), stops.length - 2);
    const a = hex(stops[index]), b = hex(stops[index + 1]), t = scaled - index;
    return "rgb(" + a.map(function (v, i) { return Math.round(v + (b[i] - v) * t); }).join(",") + ")";
  }

  function shading(data) {
    const values = data.areas.map(function (a) { return a.value; }).filter(function (v) { return v !== null; });
    const min = values.length ? Math.min.apply(null, values) : 0;
    const max = values.length ? Math.max.apply(null, values) : 0;
    const stops = RAMPS[data.figure.better] || RAMPS.none;
    const regions = data.areas.map(function (area) {
      const share = max > min ? (area.value - min) / (max - min) : 1;
      return { name: area.name, itemStyle: { areaColor: area.value === null ? "#eef1f4" : ramp(stops, share) } };
    });
    return { regions: regions, min: min, max: max, stops: stops };
  }

  function legendBar(holder, data, shade) {
    if (!data.areas.length) return;
    const unit = data.figure.rate ? "%" : "";
    const bar = document.createElement("div");
    bar.className = "d-flex align-items-center gap-2 small text-secondary mt-2";
    bar.setAttribute("data-testid", "shading-legend");
    const gradient = "linear-gradient(to right," + shade.stops.join(",") + ")";
    bar.innerHTML = '<span></span><span class="flex-fill" style="height:.6rem;border-radius:.3rem;max-width:12rem"></span><span></span>';
    bar.children[0].textContent = data.figure.label + " " + shade.min + unit;
    bar.children[1].style.background = gradient;
    bar.children[2].textContent = shade.max + unit;
    holder.insertAdjacentElement("afterend", bar);
  }

  /* Points to draw and groups of points, on a grid of the screen as the map stands now. */
  function grouped(chart, points) {
    const origin = chart.convertToPixel({ geoIndex: 0 }, [points[0][0], points[0][1]]);
    const corner = chart.convertToPixel({ geoIndex: 0 }, [points[0][0] + 1, points[0][1] + 1]);
    if (!origin || !corner) return { singles: [], groups: [] };
    const sx = corner[0] - origin[0], sy = corner[1] - origin[1];
    const cells = new Map();
    points.forEach(function (p) {
      const x = origin[0] + (p[0] - points[0][0]) * sx;
      const y = origin[1] + (p[1] - points[0][1]) * sy;
      const key = Math.floor(x / CELL) + ":" + Math.floor(y / CELL);
      const cell = cells.get(key);
      if (cell) cell.push(p); else cells.set(key, [p]);
    });
    const singles = [], groups = [];
    cells.forEach(function (members) {
      if (members.length === 1) {
        const p = members[0];
        singles.push({ value: [p[0], p[1]], id: p[2], name: p[3], key: p[4] });
        return;
      }
      let lon = 0, lat = 0;
      const keys = {};
      members.forEach(function (p) { lon += p[0]; lat += p[1]; keys[p[4]] = (keys[p[4]] || 0) + 1; });
      // A group takes the colour most of its points have.
      const main = Object.keys(keys).sort(function (a, b) { return keys[b] - keys[a]; })[0];
      groups.push({ value: [lon / members.length, lat / members.length, members.length], keys: keys, key: main });
    });
    return { singles: singles, groups: groups };
  }

  function escape(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function overview(holder, data) {
    const positions = data.points.map(function (p) { return [p[0], p[1]]; });
    load(data.boundaries).then(function (outlines) {
      const name = register(outlines, positions);
      const shade = shading(data);
      const areas = {};
      data.areas.forEach(function (area) { areas[area.name] = area; });
      const chart = echarts.init(holder, null, { renderer: "svg" });
      const colour = function (key) { return (data.legend[key] || {}).colour || "#9aa0ac"; };
      chart.setOption({
        animation: false,
        tooltip: {
          trigger: "item", confine: true,
          formatter: function (params) {
            if (params.componentType === "geo") {
              const area = areas[params.name];
              if (!area) return escape(params.name);
              const lines = area.summary.map(function (row) { return escape(row[0]) + "：" + escape(row[1]); });
              return "<b>" + escape(area.name) + "</b><br>" + escape(data.figure.label) + "：<b>" + escape(area.display) + "</b><br>" + lines.join("<br>") + (area.url ? "<br><i>" + escape(data.labels.library) + "</i>" : "");
            }
            const item = params.data || {};
            if (params.seriesId === "groups") {
              const parts = Object.keys(item.keys).map(function (key) { return escape((data.legend[key] || {}).label || key) + " " + item.keys[key]; });
              return "<b>" + item.value[2] + " " + escape(data.labels.projects) + "</b><br>" + parts.join("<br>") + "<br><i>" + escape(data.labels.zoom) + "</i>";
            }
            return "<b>" + escape(item.name) + "</b><br>" + escape((data.legend[item.key] || {}).label || "") + "<br><i>" + escape(data.labels.open) + "</i>";
          }
        },
        geo: Object.assign(geoOption(name), { regions: shade.regions, tooltip: { show: name !== PLAIN } }),
        series: [
          {
            id: "points", type: "scatter", coordinateSystem: "geo", symbolSize: 10, z: 4, data: [],
            itemStyle: { color: function (p) { return colour(p.data.key); }, borderColor: "#fff", borderWidth: 1.5 },
            emphasis: { scale: 1.6 }
          },
          {
            id: "groups", type: "scatter", coordinateSystem: "geo", z: 5, data: [],
            symbolSize: function (value) { return Math.min(46, 18 + Math.sqrt(value[2]) * 3); },
            itemStyle: { color: function (p) { return colour(p.data.key); }, opacity: 0.88, borderColor: "#fff", borderWidth: 2 },
            label: { show: true, color: "#fff", fontSize: 11, fontWeight: "bold", textBorderColor: "rgba(0,0,0,.35)", textBorderWidth: 2, formatter: function (p) { return p.value[2]; } }
          }
        ]
      });
      legendBar(holder, data, shade);
      const redraw = function () {
        if (!data.points.length) return;
        const drawn = grouped(chart, data.points);
        chart.setOption({ series: [{ id: "points", data: drawn.singles }, { id: "groups", data: drawn.groups }] });
      };
      let pending = false;
      chart.on("georoam", function () {
        if (pending) return;
        pending = true;
        window.requestAnimationFrame(function () { pending = false; redraw(); });
      });
      chart.on("click", function (params) {
        if (params.componentType === "geo") {
          const area = areas[params.name];
          if (area && area.url) window.location.href = area.url;
        } else if (params.seriesId === "points") {
          window.location.href = data.project_url.replace("/0/", "/" + params.data.id + "/");
        } else if (params.seriesId === "groups") {
          const geo = chart.getOption().geo[0];
          chart.setOption({ geo: [{ center: [params.data.value[0], params.data.value[1]], zoom: Math.min((geo.zoom || 1) * 2.5, 60) }] });
          redraw();
        }
      });
      redraw();
      holder.setAttribute("data-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); redraw(); });
    });
  }

  function projectPoint(holder, data) {
    load(data.boundaries).then(function (outlines) {
      const name = register(outlines, [data.point]);
      const chart = echarts.init(holder, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "item", confine: true },
        geo: Object.assign(geoOption(name), {
          regions: name === PLAIN ? [] : [{ name: data.region, itemStyle: { areaColor: "#cfe2ff" } }],
          // Closer in on the project's surroundings; the whole city is a zoom out away.
          center: name === PLAIN ? undefined : data.point, zoom: name === PLAIN ? 1 : 2.5,
          label: { show: name !== PLAIN, fontSize: 10, color: "#475569" },
          top: 4, bottom: 4, left: 4, right: 4
        }),
        series: [{
          id: "project", type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: 30, z: 5,
          itemStyle: { color: "#d63939" },
          data: [{ name: data.name, value: data.point }]
        }]
      });
      holder.setAttribute("data-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  [["project-map", overview], ["project-point", projectPoint]].forEach(function (entry) {
    const holder = document.getElementById(entry[0]);
    const source = document.getElementById(entry[0] + "-data");
    if (holder && source) entry[1](holder, JSON.parse(source.textContent));
  });
})();

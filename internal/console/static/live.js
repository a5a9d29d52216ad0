// Live updates for the execution and job pages, from server-sent events. No polling: the
// server sends an event after each commit that changes what the page shows.
"use strict";
(function () {
  var live = document.getElementById("live");
  if (live && window.EventSource) {
    var note = document.getElementById("live-note");
    var es = new EventSource(live.dataset.events);
    es.addEventListener("state", function (ev) {
      var st = JSON.parse(ev.data);
      var status = document.getElementById("exec-status");
      status.textContent = st.status;
      status.className = "status s-" + st.status;
      document.getElementById("exec-failure").textContent = st.failure || "";
      var running = st.status === "Executing" || st.status === "Stopping";
      document.getElementById("stop").disabled = !running;
      document.getElementById("retry").disabled = !(st.status === "Failed" || st.status === "Stopped");
      (st.steps || []).forEach(updateStep);
      note.textContent = running ? "live" : "";
      document.body.dataset.execStatus = st.status;
    });
    es.addEventListener("failure", function (ev) {
      note.textContent = JSON.parse(ev.data).message;
      es.close();
    });
    es.onerror = function () { note.textContent = "reconnecting…"; };
  }

  function updateStep(s) {
    var nodes = document.querySelectorAll("svg.dag g.step");
    for (var i = 0; i < nodes.length; i++) {
      var g = nodes[i];
      if (g.getAttribute("data-step") !== s.name) continue;
      var cls = (g.getAttribute("class") || "").split(" ").filter(function (c) { return c.indexOf("s-") !== 0; });
      cls.push("s-" + s.status);
      g.setAttribute("class", cls.join(" "));
      var t = g.querySelector(".status");
      if (t) t.textContent = s.status;
    }
    var row = document.getElementById("step-" + s.name);
    if (!row) {
      row = document.createElement("tr");
      row.id = "step-" + s.name;
      row.setAttribute("data-step", s.name);
      ["name", "status", "started", "duration", "attempts", "detail", "failure"].forEach(function (c) {
        var td = document.createElement("td");
        td.className = "c-" + c;
        row.appendChild(td);
      });
      row.firstChild.textContent = s.name;
      document.getElementById("steps").appendChild(row);
    }
    var span = document.createElement("span");
    span.className = "status s-" + s.status;
    span.textContent = s.status;
    var cell = row.querySelector(".c-status");
    cell.textContent = "";
    cell.appendChild(span);
    row.querySelector(".c-started").textContent = s.started || "";
    row.querySelector(".c-duration").textContent = s.duration || "";
    row.querySelector(".c-attempts").textContent = s.attempts;
    row.querySelector(".c-failure").textContent = s.failure || "";
    var detail = row.querySelector(".c-detail");
    detail.textContent = s.outcome ? "Condition: " + s.outcome + " " : "";
    if (s.job) {
      var a = document.createElement("a");
      a.href = "/_cairn/console/job?arn=" + encodeURIComponent(s.job);
      a.textContent = "job";
      detail.appendChild(a);
      detail.appendChild(document.createTextNode(" "));
    }
    if (s.lineage) {
      var l = document.createElement("a");
      l.className = "lineage";
      l.href = "/_cairn/console/lineage?arn=" + encodeURIComponent(s.lineage) + "&direction=Both&depth=2";
      l.textContent = "lineage";
      detail.appendChild(l);
    }
  }

  var log = document.getElementById("log");
  if (log && window.EventSource) {
    var ls = new EventSource(log.dataset.events);
    ls.addEventListener("log", function (ev) {
      log.appendChild(document.createTextNode(JSON.parse(ev.data) + "\n"));
      log.scrollTop = log.scrollHeight;
    });
    ls.addEventListener("end", function () { ls.close(); });
  }
})();

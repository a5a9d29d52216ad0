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
    if (log && s.job && log.dataset.step === s.name) {
      followLog("/_cairn/console/job/log?arn=" + encodeURIComponent(s.job));
    }
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
      var link = document.createElement("a");
      link.href = "/_cairn/console/execution?arn=" + encodeURIComponent(live.dataset.arn) + "&step=" + encodeURIComponent(s.name) + "#step-detail";
      link.textContent = s.name;
      row.firstChild.appendChild(link);
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

  // A job's log, followed to the job's end. On an execution page whose chosen step has no
  // job yet, it starts when the step's state names one.
  var log = document.getElementById("log");
  function followLog(url) {
    if (!log || !window.EventSource || log.dataset.following) return;
    log.dataset.following = "1";
    var wait = document.getElementById("log-wait");
    if (wait) wait.textContent = "";
    var ls = new EventSource(url);
    ls.addEventListener("log", function (ev) {
      log.appendChild(document.createTextNode(JSON.parse(ev.data) + "\n"));
      log.scrollTop = log.scrollHeight;
    });
    ls.addEventListener("end", function (ev) {
      ls.close();
      log.dataset.ended = "1";
      var end = JSON.parse(ev.data), status = document.getElementById("job-status");
      if (status && end.status) {
        status.textContent = end.status;
        status.className = "status s-" + end.status;
        var failure = document.getElementById("job-failure");
        if (failure) failure.textContent = end.failure || "";
      }
    });
  }
  if (log && log.dataset.events) followLog(log.dataset.events);
})();

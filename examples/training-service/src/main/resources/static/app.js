// Status page: polls the REST API, lists executions with their progress, and draws the selected execution's loss
// curves (training loss per step, held-out loss and bits per byte per evaluation) on a canvas. No external code.
(function () {
  'use strict';
  var selected = null;
  var jobs = {};

  function $(id) { return document.getElementById(id); }

  // state-changing requests carry the session's CSRF token (GET /api/csrf), as Spring Security requires of the page
  var csrf = null;

  function csrfToken() {
    if (csrf) { return Promise.resolve(csrf); }
    return fetch('/api/csrf', { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error('cannot get a CSRF token: ' + r.status); }
      return r.json();
    }).then(function (t) { csrf = t; return t; });
  }

  function api(method, path, body) {
    var token = method === 'GET' ? Promise.resolve(null) : csrfToken();
    return token.then(function (t) {
      var init = { method: method, headers: {}, credentials: 'same-origin' };
      if (t) { init.headers[t.headerName] = t.token; }
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      return fetch(path, init);
    }).then(function (r) {
      if (r.status === 403) { csrf = null; } // a new session (logged in again): fetch a new token next time
      return r.text().then(function (t) {
        var data = {};
        try { data = t ? JSON.parse(t) : {}; } catch (e) { data = { error: r.status + ' ' + r.statusText }; }
        if (!r.ok) { throw new Error((data && data.error) || (r.status + ' ' + r.statusText)); }
        return data;
      });
    });
  }

  function message(text, error) {
    var m = $('message');
    m.textContent = text || '';
    m.className = error ? 'error' : '';
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? '' : String(value);
    if (cls) { el.className = cls; }
    return el;
  }

  function evalLoss(e) {
    var out = null;
    e.steps.forEach(function (s) { if (s.evalLoss != null) { out = s.evalLoss; } });
    return out;
  }

  function actionButton(label, fn) {
    var b = document.createElement('button');
    b.textContent = label;
    b.addEventListener('click', function (ev) { ev.stopPropagation(); fn(); });
    return b;
  }

  function renderExecutions(list) {
    var body = $('executions').querySelector('tbody');
    body.textContent = '';
    list.forEach(function (e) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', e.id);
      tr.setAttribute('data-status', e.status);
      tr.setAttribute('data-step', e.progress.step);
      if (e.id === selected) { tr.className = 'selected'; }
      tr.appendChild(text('td', e.id));
      tr.appendChild(text('td', e.job));
      tr.appendChild(text('td', e.status, e.status));
      var p = document.createElement('td');
      p.className = 'progress';
      var total = e.progress.totalSteps;
      var bar = document.createElement('span');
      bar.className = 'bar';
      var fill = document.createElement('i');
      fill.style.width = (total ? 100 * e.progress.step / total : 0) + '%';
      bar.appendChild(fill);
      p.appendChild(bar);
      p.appendChild(document.createTextNode(total ? e.progress.step + '/' + total : '-'));
      tr.appendChild(p);
      var l = evalLoss(e);
      tr.appendChild(text('td', l == null ? '' : l.toFixed(4)));
      tr.appendChild(text('td', e.started ? e.started.replace('T', ' ').substring(0, 19) : ''));
      var actions = document.createElement('td');
      if (e.status === 'STARTED' || e.status === 'STARTING') {
        actions.appendChild(actionButton('stop', function () {
          api('POST', '/api/executions/' + e.id + '/stop').then(function () { message('stop requested'); refresh(); },
            function (err) { message(err.message, true); });
        }));
      } else if (e.status === 'STOPPED' || e.status === 'FAILED') {
        actions.appendChild(actionButton('restart', function () {
          api('POST', '/api/executions/' + e.id + '/restart').then(function (x) {
            message('restarted as execution ' + x.id); selected = x.id; refresh();
          }, function (err) { message(err.message, true); });
        }));
      }
      tr.appendChild(actions);
      tr.addEventListener('click', function () { selected = e.id; refresh(); });
      body.appendChild(tr);
    });
  }

  function renderDetail(e, metrics) {
    $('detail').hidden = false;
    $('detail-id').textContent = e.id + ' (' + e.job + ')';
    $('detail-status').textContent = e.status + (e.exitDescription ? ': ' + e.exitDescription : '');
    $('detail-status').className = e.status;
    $('detail-progress').textContent = e.steps.map(function (s) {
      return s.name + ' ' + s.step + '/' + s.totalSteps + ' (' + s.status + ')' +
        (s.evalLoss != null ? ', held-out loss ' + s.evalLoss.toFixed(4) + ', bpb ' + s.evalBpb.toFixed(4) : '');
    }).join(' · ');
    $('detail-params').textContent = Object.keys(e.parameters).map(function (k) {
      return k + '=' + e.parameters[k];
    }).join('\n');
    draw(metrics);
  }

  // training loss per step of every step execution in order (stage 1 then stage 2), evaluations at their steps
  function draw(metrics) {
    var train = [], evals = [], bpb = [], offset = 0;
    metrics.forEach(function (s) {
      var last = 0;
      s.train.forEach(function (m) { if (m.loss != null) { train.push([offset + m.step, m.loss]); } last = Math.max(last, m.step); });
      s.eval.forEach(function (m) {
        if (m.loss != null) { evals.push([offset + m.step, m.loss]); bpb.push([offset + m.step, m.bpb]); }
        last = Math.max(last, m.step);
      });
      offset += last;
    });
    var c = $('loss-chart');
    c.setAttribute('data-points', train.length);
    c.setAttribute('data-evals', evals.length);
    var g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    var all = train.concat(evals, bpb);
    if (!all.length) { g.fillText('no metrics yet', 20, 20); return; }
    var x0 = 0, x1 = 1, y0 = Infinity, y1 = -Infinity;
    all.forEach(function (p) { x1 = Math.max(x1, p[0]); y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]); });
    if (y1 - y0 < 1e-9) { y1 = y0 + 1; }
    var L = 50, R = 10, T = 10, B = 30, w = c.width - L - R, h = c.height - T - B;
    function X(v) { return L + (v - x0) / (x1 - x0) * w; }
    function Y(v) { return T + (1 - (v - y0) / (y1 - y0)) * h; }
    g.strokeStyle = '#999'; g.fillStyle = '#444'; g.font = '11px sans-serif';
    g.beginPath(); g.moveTo(L, T); g.lineTo(L, T + h); g.lineTo(L + w, T + h); g.stroke();
    for (var i = 0; i <= 4; i++) {
      var v = y0 + (y1 - y0) * i / 4;
      g.fillText(v.toFixed(2), 4, Y(v) + 4);
    }
    g.fillText('step ' + Math.round(x1), L + w - 50, T + h + 20);
    function line(points, color, dots) {
      g.strokeStyle = color; g.fillStyle = color; g.beginPath();
      points.forEach(function (p, k) { if (k) { g.lineTo(X(p[0]), Y(p[1])); } else { g.moveTo(X(p[0]), Y(p[1])); } });
      g.stroke();
      if (dots) { points.forEach(function (p) { g.fillRect(X(p[0]) - 2, Y(p[1]) - 2, 4, 4); }); }
    }
    line(train, '#3b82c4', false);
    line(evals, '#d9480f', true);
    line(bpb, '#2f9e44', true);
  }

  function refresh() {
    return api('GET', '/api/executions').then(function (data) {
      renderExecutions(data.executions);
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      if (selected == null && data.executions.length) { selected = data.executions[0].id; }
      if (selected == null) { return null; }
      return Promise.all([api('GET', '/api/executions/' + selected), api('GET', '/api/executions/' + selected + '/metrics')])
        .then(function (r) { renderDetail(r[0], r[1]); });
    }).catch(function (err) { message(err.message, true); });
  }

  function loadJobs() {
    return api('GET', '/api/jobs').then(function (data) {
      jobs = data.jobs;
      $('roots').textContent = 'data root ' + data.dataRoot + ' · output root ' + data.outputRoot;
      var sel = $('job');
      Object.keys(jobs).forEach(function (name) {
        var o = document.createElement('option');
        o.value = name; o.textContent = name;
        sel.appendChild(o);
      });
      sel.value = jobs.finetune ? 'finetune' : Object.keys(jobs)[0];
      fillParams();
      sel.addEventListener('change', fillParams);
    });
  }

  function fillParams() {
    var p = jobs[$('job').value] || {};
    $('params').value = Object.keys(p).map(function (k) { return k + '=' + (p[k] == null ? '' : p[k]); }).join('\n');
  }

  $('start-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var params = {};
    $('params').value.split('\n').forEach(function (line) {
      var i = line.indexOf('=');
      if (i > 0 && line.substring(i + 1).trim() !== '') { params[line.substring(0, i).trim()] = line.substring(i + 1).trim(); }
    });
    api('POST', '/api/jobs/' + $('job').value + '/executions', params).then(function (e) {
      message('started execution ' + e.id); selected = e.id; refresh();
    }, function (err) { message(err.message, true); });
  });

  loadJobs().then(refresh);
  setInterval(refresh, 1000);
}());

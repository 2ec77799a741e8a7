// qmp-ts reference site: keyboard shortcuts, the index filter, and search (MiniSearch index
// from search-index.js). Text from the schema is only ever set with textContent.
(function () {
  'use strict';
  var q = document.getElementById('q');
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey && q) {
      e.preventDefault();
      q.focus();
      q.select();
    }
  });

  // The index's filter: a part of the name, and the kinds shown.
  var filter = document.getElementById('filter');
  var list = document.getElementById('index-list');
  var count = document.getElementById('filter-count');
  if (filter && list) {
    var items = Array.prototype.slice.call(list.querySelectorAll('li[data-kind]'));
    var boxes = Array.prototype.slice.call(document.querySelectorAll('.kind-filter'));
    var sections = Array.prototype.slice.call(list.querySelectorAll('section.module'));
    var apply = function () {
      var text = filter.value.trim().toLowerCase();
      var kinds = {};
      boxes.forEach(function (b) { kinds[b.value] = b.checked; });
      var shown = 0;
      items.forEach(function (li) {
        var ok = kinds[li.getAttribute('data-kind')] && (text === '' || li.getAttribute('data-name').indexOf(text) >= 0);
        li.hidden = !ok;
        if (ok) shown++;
      });
      sections.forEach(function (s) {
        var any = s.querySelector('li[data-kind]:not([hidden])');
        s.hidden = !any && s.querySelector('li[data-kind]') !== null;
      });
      if (count) count.textContent = shown + ' of ' + items.length + ' shown';
    };
    filter.addEventListener('input', apply);
    boxes.forEach(function (b) { b.addEventListener('change', apply); });
    apply();
  }

  // Search, on the index page (other pages submit the form to it with ?q=).
  var data = globalThis.QMP_TS_SEARCH;
  var results = document.getElementById('results');
  if (!q || !results || !data || typeof MiniSearch === 'undefined') return;
  var index = MiniSearch.loadJS(data.index, data.options);
  var box = results.closest('section');
  var status = document.getElementById('search-status');
  var selected = -1;
  var found = [];

  function select(i) {
    var lis = results.children;
    if (selected >= 0 && lis[selected]) lis[selected].setAttribute('aria-selected', 'false');
    selected = i;
    if (i >= 0 && lis[i]) {
      lis[i].setAttribute('aria-selected', 'true');
      lis[i].scrollIntoView({ block: 'nearest' });
      q.setAttribute('aria-activedescendant', lis[i].id);
    } else {
      q.removeAttribute('aria-activedescendant');
    }
  }

  function search(text) {
    text = text.trim();
    results.textContent = '';
    selected = -1;
    if (text === '') {
      box.hidden = true;
      found = [];
      return;
    }
    var lower = text.toLowerCase();
    found = index.search(text);
    // an exact name first, then names starting with the query, then by score
    found.sort(function (a, b) {
      var ra = a.name.toLowerCase() === lower ? 0 : a.name.toLowerCase().indexOf(lower) === 0 ? 1 : 2;
      var rb = b.name.toLowerCase() === lower ? 0 : b.name.toLowerCase().indexOf(lower) === 0 ? 1 : 2;
      return ra - rb || b.score - a.score;
    });
    found = found.slice(0, 50);
    found.forEach(function (r, i) {
      var li = document.createElement('li');
      li.id = 'result-' + i;
      li.setAttribute('aria-selected', 'false');
      var a = document.createElement('a');
      a.href = r.href;
      var code = document.createElement('code');
      code.textContent = r.name;
      a.appendChild(code);
      var kind = document.createElement('span');
      kind.className = 'kind-tag';
      kind.textContent = ' ' + r.kind;
      var sum = document.createElement('span');
      sum.className = 'summary';
      sum.textContent = r.summary;
      li.appendChild(a);
      li.appendChild(kind);
      li.appendChild(sum);
      results.appendChild(li);
    });
    box.hidden = false;
    status.textContent = found.length === 0 ? 'No match.' : found.length + (found.length === 50 ? '+' : '') + ' found; arrow keys move, Enter opens.';
    if (found.length > 0) select(0);
  }

  q.addEventListener('input', function () { search(q.value); });
  q.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' && found.length) {
      e.preventDefault();
      select(Math.min(selected + 1, found.length - 1));
    } else if (e.key === 'ArrowUp' && found.length) {
      e.preventDefault();
      select(Math.max(selected - 1, 0));
    } else if (e.key === 'Escape') {
      q.value = '';
      search('');
    }
  });
  q.form.addEventListener('submit', function (e) {
    e.preventDefault();
    var r = found[selected >= 0 ? selected : 0];
    if (r) location.href = r.href;
  });
  var initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    q.value = initial;
    search(initial);
    q.focus();
  }
})();

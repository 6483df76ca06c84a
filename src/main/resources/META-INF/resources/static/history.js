// /dashboard/history: a live countdown to each download's expiry. It counts on the server's clock (data-now on
// the table, when the page was made), so a row turns "Expired" when the download would answer 410.
(function () {
  'use strict';
  var table = document.getElementById('history');
  if (!table) return;
  var serverNow = Date.parse(table.getAttribute('data-now'));
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();

  function text(ms) {
    var s = Math.floor(ms / 1000);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    if (h > 0) return h + ' h ' + m + ' min left';
    if (m > 0) return m + ' min ' + (s % 60) + ' s left';
    return s + ' s left';
  }

  function expire(row) {
    row.setAttribute('data-status', 'expired');
    row.className = 'history-row status-expired';
    var cell = row.querySelector('.download');
    cell.textContent = '';
    cell.appendChild(window.exifq.el('span', {'class': 'expired-label', text: 'Expired'}));
  }

  function tick() {
    var now = Date.now() + skew;
    Array.prototype.forEach.call(table.querySelectorAll('tr.history-row[data-status="available"]'), function (row) {
      var left = Date.parse(row.getAttribute('data-expires')) - now;
      if (!(left > 0)) {
        expire(row);
        return;
      }
      var countdown = row.querySelector('.countdown');
      if (countdown) countdown.textContent = text(left);
    });
  }

  tick();
  setInterval(tick, 1000);
})();

// Shared by every page: the session's CSRF token, JSON API calls, uploads with progress, safe DOM building.
// Data from the server (metadata is written by whoever made the file) only ever becomes text: textContent and
// attributes set one by one, never innerHTML.
(function () {
  'use strict';

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  // el('p', {class: 'x', text: 'hello'}, [children...])
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'onclick') node.addEventListener('click', v);
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function errorMessage(data, status) {
    if (data && typeof data.message === 'string' && data.message) return data.message;
    return 'The request failed (HTTP ' + status + ').';
  }

  // fetch with the cookie and the CSRF token; body: FormData, an object (sent as JSON) or nothing.
  // Resolves to {ok, status, data} where data is the parsed JSON answer (or null).
  function api(method, url, body) {
    var headers = {'Accept': 'application/json', 'X-CSRF-Token': csrf()};
    var init = {method: method, headers: headers, credentials: 'same-origin'};
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      return r.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
        return {ok: r.ok, status: r.status, data: data};
      });
    }, function () {
      return {ok: false, status: 0, data: {message: 'Could not reach the server. Check your connection.'}};
    });
  }

  // POST a form with XMLHttpRequest for its upload progress. expect: 'json' or 'blob' (a processed file).
  // Resolves to {ok, status, data (JSON) | blob, filename}.
  function upload(url, form, onProgress, expect) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('X-CSRF-Token', csrf());
      xhr.setRequestHeader('Accept', expect === 'blob' ? '*/*' : 'application/json');
      xhr.responseType = 'blob';
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      });
      xhr.addEventListener('load', function () {
        var ok = xhr.status >= 200 && xhr.status < 300;
        var type = xhr.getResponseHeader('Content-Type') || '';
        if (ok && expect === 'blob' && type.indexOf('application/json') !== 0) {
          resolve({ok: true, status: xhr.status, blob: xhr.response, filename: filenameOf(xhr)});
          return;
        }
        xhr.response.text().then(function (t) {
          var data = null;
          try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
          resolve({ok: ok, status: xhr.status, data: data});
        });
      });
      xhr.addEventListener('error', function () {
        resolve({ok: false, status: 0, data: {message: 'Could not reach the server. Check your connection.'}});
      });
      xhr.send(form);
    });
  }

  function filenameOf(xhr) {
    var cd = xhr.getResponseHeader('Content-Disposition') || '';
    var star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
    if (star) {
      try { return decodeURIComponent(star[1]); } catch (e) { /* fall through */ }
    }
    var plain = /filename="?([^";]+)"?/i.exec(cd);
    return plain ? plain[1] : 'image';
  }

  function showError(node, message) {
    node.textContent = message;
    node.hidden = !message;
  }

  window.exifq = {csrf: csrf, el: el, api: api, upload: upload, errorMessage: errorMessage, showError: showError};
})();

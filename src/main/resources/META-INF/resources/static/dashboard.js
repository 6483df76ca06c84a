// /dashboard: upload images (file input or drag and drop), a progress bar per file, each result as it finishes,
// and the edit tools on each image with a download of the processed file. Everything goes through the JSON API
// with the session cookie and the CSRF token (exifq.js). Metadata is attacker-written: text nodes only.
(function () {
  'use strict';
  var el = exifq.el;
  var results = document.getElementById('results');
  var input = document.getElementById('files');
  var zone = document.getElementById('dropzone');
  var counter = 0;
  var GROUPS = ['EXIF', 'Composite', 'XMP', 'IPTC', 'MakerNotes', 'QuickTime', 'PNG', 'JFIF', 'ICC_Profile'];

  document.getElementById('upload-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if (!input.files.length) {
      exifq.showError(document.getElementById('upload-error'), 'Choose at least one image first.');
      input.focus();
      return;
    }
    uploadAll(input.files);
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (t) {
    zone.addEventListener(t, function () { zone.classList.remove('over'); });
  });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) uploadAll(e.dataTransfer.files);
  });

  function uploadAll(files) {
    exifq.showError(document.getElementById('upload-error'), '');
    Array.prototype.forEach.call(files, function (f) { uploadOne(f); });
  }

  function uploadOne(file) {
    var n = ++counter;
    var progress = el('progress', {max: '100', value: '0', id: 'r' + n + '-progress'});
    var status = el('p', {class: 'status', role: 'status', text: 'Uploading…'});
    var card = el('article', {class: 'card result-card', id: 'r' + n, 'data-filename': file.name}, [
      el('h2', {text: file.name}),
      el('label', {for: 'r' + n + '-progress', class: 'small', text: 'Upload progress'}), progress, status]);
    results.insertBefore(card, results.firstChild);
    var form = new FormData();
    form.append('file', file, file.name);
    exifq.upload('/v1/images', form, function (f) { progress.value = Math.round(f * 100); }, 'json').then(function (r) {
      progress.value = 100;
      if (!r.ok) { fail(status, r); return; }
      finish(r.data);
    });

    function finish(image) {
      if (image.status === 'processed') { show(card, n, file, image); return; }
      if (image.status === 'failed') { fail(status, {data: {message: image.error}, status: 200}); return; }
      status.textContent = 'Processing…';
      setTimeout(function () {
        exifq.api('GET', '/v1/images/' + encodeURIComponent(image.id)).then(function (p) {
          if (!p.ok) { fail(status, p); return; }
          finish(p.data);
        });
      }, 1000);
    }
  }

  function fail(status, r) {
    status.textContent = exifq.errorMessage(r.data, r.status);
    status.className = 'status error';
    if (r.data && r.data.upgradeUrl && r.data.upgradeUrl.charAt(0) === '/') {
      status.appendChild(document.createTextNode(' '));
      status.appendChild(el('a', {href: r.data.upgradeUrl, text: 'Upgrade your plan'}));
    }
  }

  function show(card, n, file, image) {
    var m = image.metadata || {};
    card.textContent = '';
    card.appendChild(el('h2', {text: image.filename || file.name}));
    var facts = el('dl', {class: 'facts'});
    function fact(name, value, node) {
      if (value === null || value === undefined || value === '') return;
      facts.appendChild(el('dt', {text: name}));
      facts.appendChild(el('dd', {'data-fact': name}, [node || String(value)]));
    }
    var camera = image.camera || {};
    var lens = image.lens || {};
    fact('Camera', withMake(camera.make, camera.name) || [tag(m, 'Make'), tag(m, 'Model')].filter(Boolean).join(' '));
    fact('Lens', withMake(lens.make, lens.name) || lens.exif_name || tag(m, 'LensModel') || tag(m, 'LensID'));
    fact('Taken', tag(m, 'DateTimeOriginal') || tag(m, 'CreateDate'));
    fact('Exposure', [tag(m, 'ExposureTime') && tag(m, 'ExposureTime') + ' s', tag(m, 'FNumber') && 'f/' + tag(m, 'FNumber'),
      tag(m, 'ISO') && 'ISO ' + tag(m, 'ISO'), tag(m, 'FocalLength')].filter(Boolean).join(' · '));
    fact('Size', image.width && image.height ? image.width + ' × ' + image.height + ' px, ' + bytes(image.bytesize) : bytes(image.bytesize));
    fact('Type', image.content_type);
    var gps = position(m);
    if (gps) {
      var where = gps.lat.toFixed(5) + ', ' + gps.lng.toFixed(5);
      fact('GPS', where, el('a', {href: 'https://www.openstreetmap.org/?mlat=' + gps.lat + '&mlon=' + gps.lng + '#map=15/' + gps.lat + '/' + gps.lng,
        rel: 'noopener noreferrer', target: '_blank', text: where + ' (map)'}));
    }
    fact('dHash', image.dhash);
    fact('pHash', image.phash);
    fact('SHA-256', image.checksum);
    var thumb = el('img', {class: 'thumb', alt: 'Preview of ' + file.name, src: URL.createObjectURL(file)});
    card.appendChild(el('div', {class: 'result'}, [thumb, facts]));
    card.appendChild(el('details', {class: 'tree metadata'}, [el('summary', {text: 'All metadata'})].concat(tree(m))));
    card.appendChild(tools(n, file));
  }

  // the catalogue's names leave out the maker: 'EOS 40D' by 'Canon'
  function withMake(make, name) {
    if (!name) return null;
    return make && name.toLowerCase().indexOf(make.toLowerCase()) !== 0 ? make + ' ' + name : name;
  }

  // The metadata as nested <details>: groups, then tags; structures and lists open further.
  function tree(value) {
    return Object.keys(value).map(function (k) {
      var v = value[k];
      if (v !== null && typeof v === 'object') {
        return el('details', {}, [el('summary', {text: k})].concat(tree(v)));
      }
      return el('div', {class: 'tag'}, [el('b', {text: k + ': '}), String(v)]);
    });
  }

  function tag(m, name) {
    for (var i = 0; i < GROUPS.length; i++) {
      var g = m[GROUPS[i]];
      if (g && g[name] !== undefined && g[name] !== null && typeof g[name] !== 'object') return String(g[name]);
    }
    return null;
  }

  // Composite:GPSLatitude '43 deg 28' 2.81" N' (or a plain number) to signed decimal degrees
  function position(m) {
    var lat = degrees(tag(m, 'GPSLatitude'), tag(m, 'GPSLatitudeRef'));
    var lng = degrees(tag(m, 'GPSLongitude'), tag(m, 'GPSLongitudeRef'));
    return lat === null || lng === null ? null : {lat: lat, lng: lng};
  }

  function degrees(text, ref) {
    if (!text) return null;
    var d = /^\s*(-?\d+(?:\.\d+)?)(?:\s*deg\s*(\d+(?:\.\d+)?)'\s*(?:(\d+(?:\.\d+)?)")?)?\s*([NSEW])?\s*$/.exec(text);
    if (!d) return null;
    var v = Math.abs(parseFloat(d[1])) + (d[2] ? parseFloat(d[2]) / 60 : 0) + (d[3] ? parseFloat(d[3]) / 3600 : 0);
    var hemisphere = d[4] || (ref ? ref.charAt(0).toUpperCase() : '');
    var negative = d[1].charAt(0) === '-' || hemisphere === 'S' || hemisphere === 'W';
    return isFinite(v) ? (negative ? -v : v) : null;
  }

  function bytes(n) {
    if (!n && n !== 0) return '';
    return n < 1024 ? n + ' bytes' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
  }

  // The edit tools of one image: each posts the local file with its fields and offers the processed file.
  function tools(n, file) {
    var box = el('div', {class: 'tools'});
    box.appendChild(tool(n, file, 'seo', 'SEO fields', '/api/images/edit-exif', [
      ['title', 'Title', 'text'], ['description', 'Description', 'text'], ['author', 'Author', 'text'],
      ['keywords', 'Keywords (comma-separated)', 'text'], ['copyright', 'Copyright', 'text']]));
    box.appendChild(tool(n, file, 'advanced', 'Advanced fields', '/api/images/advanced-edit', [
      ['fields', 'Tags as JSON, e.g. {"Artist": "Jane", "Orientation": 1}', 'textarea']]));
    box.appendChild(tool(n, file, 'strip', 'Strip metadata', '/api/images/strip-exif', []));
    box.appendChild(tool(n, file, 'geo', 'Set location', '/api/images/geo-exif', [
      ['latitude', 'Latitude (−90 to 90)', 'number'], ['longitude', 'Longitude (−180 to 180)', 'number'],
      ['altitude', 'Altitude in metres (optional)', 'number']]));
    return el('details', {class: 'edit-tools'}, [el('summary', {text: 'Edit tools'}), box]);
  }

  function tool(n, file, kind, title, endpoint, fields) {
    var id = 'r' + n + '-' + kind;
    var form = el('form', {class: 'card tool', id: id, novalidate: true}, [el('h3', {text: title})]);
    fields.forEach(function (f) {
      var input = f[2] === 'textarea'
        ? el('textarea', {id: id + '-' + f[0], name: f[0]})
        : el('input', {id: id + '-' + f[0], name: f[0], type: f[2], step: f[2] === 'number' ? 'any' : null});
      form.appendChild(el('div', {class: 'field'}, [el('label', {for: id + '-' + f[0], text: f[1]}), input]));
    });
    var button = el('button', {type: 'submit', id: id + '-submit',
      text: kind === 'strip' ? 'Strip all metadata' : 'Apply'});
    var progress = el('progress', {max: '100', value: '0', hidden: true, 'aria-label': title + ' upload progress'});
    var out = el('div', {class: 'tool-result', role: 'status'});
    form.appendChild(button);
    form.appendChild(progress);
    form.appendChild(out);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      out.textContent = '';
      var body = new FormData();
      body.append('file', file, file.name);
      fields.forEach(function (f) {
        var v = form.elements.namedItem(f[0]).value;
        if (v !== '') body.append(f[0], v);
      });
      button.disabled = true;
      progress.hidden = false;
      exifq.upload(endpoint, body, function (p) { progress.value = Math.round(p * 100); }, 'blob').then(function (r) {
        button.disabled = false;
        progress.hidden = true;
        if (!r.ok) {
          out.appendChild(el('p', {class: 'error', text: exifq.errorMessage(r.data, r.status)}));
          return;
        }
        out.appendChild(el('a', {class: 'button download', href: URL.createObjectURL(r.blob), download: r.filename,
          text: 'Download ' + r.filename}));
      });
    });
    return form;
  }
})();

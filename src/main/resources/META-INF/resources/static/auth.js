// Sign in and sign up: the form posts JSON to the auth API, which sets the session cookie; then on to `next`
// (the server only ever renders a local path there).
(function () {
  'use strict';
  var form = document.getElementById('auth-form');
  if (!form) return;
  var error = document.getElementById('auth-error');
  var submit = document.getElementById('auth-submit');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    exifq.showError(error, '');
    var body = {};
    ['email', 'password', 'name'].forEach(function (n) {
      var input = form.elements.namedItem(n);
      if (input) body[n] = input.value;
    });
    submit.disabled = true;
    exifq.api('POST', form.getAttribute('data-endpoint'), body).then(function (r) {
      submit.disabled = false;
      if (r.ok) {
        var next = form.getAttribute('data-next') || '/dashboard';
        window.location.assign(next.charAt(0) === '/' && next.charAt(1) !== '/' ? next : '/dashboard');
      } else {
        exifq.showError(error, exifq.errorMessage(r.data, r.status));
        (form.elements.namedItem('email') || submit).focus();
      }
    });
  });
})();

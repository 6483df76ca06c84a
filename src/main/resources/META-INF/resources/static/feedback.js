// /dashboard/feedback: sends the form as JSON to POST /api/feedback; shows the thanks or the server's message.
(function () {
  'use strict';
  var form = document.getElementById('feedback-form');
  if (!form) return;
  var error = document.getElementById('feedback-error');
  var done = document.getElementById('feedback-done');
  var submit = document.getElementById('feedback-submit');

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var body = {sourcePath: window.location.pathname};
    ['type', 'subject', 'message', 'email'].forEach(function (name) {
      var value = form.elements[name].value;
      if (value.trim() !== '') body[name] = value;
    });
    window.exifq.showError(error, '');
    done.hidden = true;
    submit.disabled = true;
    window.exifq.api('POST', '/api/feedback', body).then(function (r) {
      submit.disabled = false;
      if (!r.ok) {
        window.exifq.showError(error, window.exifq.errorMessage(r.data, r.status));
        return;
      }
      form.elements.message.value = '';
      form.elements.subject.value = '';
      done.textContent = 'Thank you: your message was sent.';
      done.hidden = false;
    });
  });
})();

// /dashboard/billing: Upgrade and Manage subscription ask the billing API (session cookie + CSRF token) for a
// Stripe URL and go there; a refusal (billing_disabled, already_subscribed, ...) shows the server's message.
(function () {
  'use strict';
  var error = document.getElementById('billing-error');

  function follow(button) {
    button.disabled = true;
    window.exifq.showError(error, '');
    window.exifq.api('POST', button.getAttribute('data-endpoint')).then(function (r) {
      var url = r.data && typeof r.data.url === 'string' ? r.data.url : '';
      if (r.ok && /^https?:\/\//i.test(url)) {
        window.location.assign(url);
        return;
      }
      button.disabled = false;
      window.exifq.showError(error, r.ok ? 'The payment provider sent no address to continue to.'
        : window.exifq.errorMessage(r.data, r.status));
    });
  }

  ['checkout', 'portal'].forEach(function (id) {
    var button = document.getElementById(id);
    if (button) button.addEventListener('click', function () { follow(button); });
  });
})();

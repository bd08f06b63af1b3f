// The console's one shared behaviour: buttons marked data-confirm ask before their form is sent
// (disabling an account, revoking a token, cancelling maintenance). Without script the forms
// still work; they just do not ask.
(function () {
  document.addEventListener('submit', function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();

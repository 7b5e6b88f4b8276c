// The login page's one job: say why the last try was refused (the server redirects back with ?error=…).
const messages = {
  invalid: 'Wrong token. Try again.',
  too_many: 'Too many wrong tries. Wait a minute, then try again.',
};

const error = new URLSearchParams(location.search).get('error');
if (error) {
  const box = document.getElementById('login-error');
  box.textContent = messages[error] ?? 'Could not log in.';
  box.hidden = false;
}
document.getElementById('token').focus();

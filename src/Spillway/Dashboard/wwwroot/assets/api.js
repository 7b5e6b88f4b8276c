// Reading the admin API from the page (same origin; the session cookie goes along).

export class ApiError extends Error {}

export async function getJson(path) {
  const response = await getResponse(path);
  return response.json();
}

export async function getResponse(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    location.assign('/ui/');
    throw new ApiError('Not logged in.');
  }
  if (!response.ok) {
    throw new ApiError(`${path} answered ${response.status}`);
  }
  return response;
}

/** A form's fields: by name, or as pairs where a name repeats (a group of checkboxes). */
export type FormFields = Record<string, string> | Array<[string, string]>;

/** A tiny cookie-keeping HTTP client for tests: one per browser-like user. */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  /** The cookie value by name. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Raw Set-Cookie headers of the last response. */
  lastSetCookie: string[] = [];

  async request(
    method: string,
    path: string,
    options: { form?: FormFields; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; text: string; location: string | null; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    this.lastSetCookie = res.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** The CSRF token of the page at `path` (from its first form). */
  async csrf(path = '/settings'): Promise<string> {
    const page = await this.get(path);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!match) throw new Error(`No CSRF token on ${path} (status ${page.status})`);
    return match[1]!;
  }

  /** Posts a form with the CSRF token of `from`. */
  async post(path: string, form: FormFields = {}, from = '/settings') {
    const fields = Array.isArray(form) ? form : Object.entries(form);
    return this.request('POST', path, { form: [['_csrf', await this.csrf(from)], ...fields] });
  }

  /** Signs in through the login form. */
  async login(email: string, password: string) {
    const csrf = await this.csrf('/login');
    return this.request('POST', '/login', { form: { _csrf: csrf, email, password, next: '/dialogs' } });
  }
}

/** A client of the JSON API with a bearer token. */
export function apiClient(baseUrl: string, token: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the JSON answers field by field
  return async (method: string, path: string, json?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${baseUrl}/api/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

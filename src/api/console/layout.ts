import type { Principal } from '../auth.js';
import { CONSOLE_ENTRY_SCRIPT } from './clientScripts.js';
import { html, type SafeHtml } from './html.js';

export const CONSOLE_PATH = '/console';

export interface PageContext {
  readonly principal: Principal;
  /** The session's CSRF token, carried by every form that changes something. */
  readonly csrf: string;
  readonly now: Date;
}

/**
 * The shell of every signed-in console page: title, navigation, who is signed in, sign-out. A page
 * given `refreshSeconds` reloads that often in a browser without script; with script, the page's
 * own module keeps it current instead (a meta refresh cannot be cancelled once parsed).
 */
export function layout(title: string, context: PageContext, body: SafeHtml, refreshSeconds?: number): string {
  return page(
    title,
    html`<header class="bar">
<a class="brand" href="${CONSOLE_PATH}">dirsync console</a>
<nav aria-label="Main"><a href="${CONSOLE_PATH}">Tenants</a></nav>
<span class="who">${context.principal.label} (${context.principal.role})</span>
<form method="post" action="${CONSOLE_PATH}/logout"><input type="hidden" name="csrf" value="${context.csrf}"><button type="submit">Sign out</button></form>
</header>
<main id="main">${body}</main>`,
    refreshSeconds,
  ).text;
}

export function page(title: string, body: SafeHtml, refreshSeconds?: number): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? html`<noscript><meta http-equiv="refresh" content="${refreshSeconds}"></noscript>` : ''}
<title>${title} — dirsync console</title>
<link rel="stylesheet" href="${CONSOLE_PATH}/assets/console.css">
<script type="module" src="${CONSOLE_PATH}/assets/${CONSOLE_ENTRY_SCRIPT}"></script>
</head><body>${body}</body></html>`;
}

export function loginPage(problem?: string): string {
  return page(
    'Sign in',
    html`<main id="main" class="login"><h1>dirsync console</h1>
${problem ? html`<p role="alert" class="problem">${problem}</p>` : ''}
<form method="post" action="${CONSOLE_PATH}/login">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form></main>`,
  ).text;
}

/** A refusal or a missing object, as a page rather than JSON. */
export function messagePage(title: string, message: string): string {
  return page(
    title,
    html`<main id="main"><h1>${title}</h1><p role="alert" class="problem">${message}</p><p><a href="${CONSOLE_PATH}">Back to the tenants</a></p></main>`,
  ).text;
}

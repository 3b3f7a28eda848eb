/** One name the source suggested, as /console/tenants/:tenant/provision/suggestions answers it. */
interface Suggestion {
  readonly id: string;
  readonly name: string;
  readonly detail: string;
}

/** Keystrokes this close together make one request. */
const DEBOUNCE_MS = 200;
/** As the server: fewer characters are not looked up. */
const MIN_TEXT = 2;
const SHOWN = 10;

/**
 * A combobox over the source's suggestions (ARIA 1.2 pattern, `aria-activedescendant`): typing
 * lists the names that start with the text; arrows move, Enter or a click picks, Escape closes.
 * A picked name is added as a line of the text area the input names in `data-list`.
 */
export function typeahead(input: HTMLInputElement, suggestionsUrl: string): void {
  const root = input.ownerDocument;
  const listbox = root.getElementById(input.getAttribute('aria-controls') ?? '');
  const list = root.getElementById(input.dataset.list ?? '');
  if (!(listbox instanceof HTMLUListElement) || !(list instanceof HTMLTextAreaElement)) return;
  input.hidden = false;
  let suggestions: Suggestion[] = [];
  let active = -1;
  let asked = 0;
  let timer: number | undefined;

  const close = () => {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const highlight = (index: number) => {
    active = index;
    for (const [position, option] of [...listbox.children].entries()) {
      option.setAttribute('aria-selected', String(position === index));
    }
    const option = listbox.children[index];
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };

  const pick = (suggestion: Suggestion) => {
    const lines = list.value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (!lines.includes(suggestion.name)) list.value = [...lines, suggestion.name].join('\n');
    input.value = '';
    close();
  };

  const show = (found: Suggestion[]) => {
    suggestions = found;
    listbox.replaceChildren(
      ...found.map((suggestion, index) => {
        const option = root.createElement('li');
        option.id = `${listbox.id}-${index}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        option.textContent = suggestion.name;
        if (suggestion.detail !== '') {
          const detail = root.createElement('span');
          detail.className = 'detail';
          detail.textContent = ` ${suggestion.detail}`;
          option.append(detail);
        }
        // Before the input's blur closes the list.
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => pick(suggestion));
        return option;
      }),
    );
    if (found.length === 0) return close();
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  };

  const lookUp = async () => {
    const text = input.value.trim();
    const request = ++asked;
    if (text.length < MIN_TEXT) return show([]);
    const query = new URLSearchParams({ kind: input.dataset.suggest ?? 'user', text, limit: String(SHOWN) });
    try {
      const response = await fetch(`${suggestionsUrl}?${query}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      const answer = response.ok ? ((await response.json()) as { suggestions: Suggestion[] }) : undefined;
      // A slower answer to an older text must not replace a newer one.
      if (request === asked) show(answer?.suggestions ?? []);
    } catch {
      if (request === asked) show([]);
    }
  };

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void lookUp(), DEBOUNCE_MS);
  });
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden && suggestions.length > 0;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!open) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      highlight((active + step + suggestions.length) % suggestions.length);
    } else if (event.key === 'Enter') {
      // Enter picks; it never submits the form from this input.
      event.preventDefault();
      const chosen = suggestions[active] ?? (suggestions.length === 1 ? suggestions[0] : undefined);
      if (open && chosen) pick(chosen);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });
}

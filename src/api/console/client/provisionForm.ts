import { typeahead } from './typeahead.js';

/** One line of the step stream: the stage reached, its status text and the traces as markup. */
interface StepLine {
  readonly stage: 'imported' | 'planned' | 'applied' | 'failed';
  readonly status: string;
  readonly html?: string;
}

const STEP_STREAM_TYPE = 'application/x-ndjson';

/**
 * The provision page: typeaheads fill the lists, and Run posts the form with fetch and shows each
 * subject's steps as the server streams them (one JSON line per stage), instead of waiting for
 * the whole answer as the plain form post does.
 */
export function provisionOnDemand(root: Document): void {
  const form = root.querySelector<HTMLFormElement>('form#provision');
  if (!form) return;
  const suggestionsUrl = form.dataset.suggestions ?? '';
  for (const input of form.querySelectorAll<HTMLInputElement>('input[data-suggest]')) {
    typeahead(input, suggestionsUrl);
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(form);
  });
}

async function run(form: HTMLFormElement): Promise<void> {
  const root = form.ownerDocument;
  const status = root.getElementById('provision-status');
  const steps = root.getElementById('provision-steps');
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (!status || !steps || !button) return;
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.append(name, value);
  button.disabled = true;
  status.textContent = 'Looking the subjects up in the source…';
  steps.replaceChildren();
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { accept: STEP_STREAM_TYPE },
    });
    if (
      !response.ok ||
      !response.body ||
      !response.headers.get('content-type')?.startsWith(STEP_STREAM_TYPE)
    ) {
      status.textContent = await refusal(response);
      return;
    }
    for await (const line of lines(response.body)) {
      status.textContent = line.status;
      // Markup the server rendered and escaped, as it renders the page itself.
      if (line.html !== undefined) steps.innerHTML = line.html;
    }
  } catch (error) {
    status.textContent = `The run could not be followed: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

/** The JSON lines of a streamed body, each as soon as it is whole. */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<StepLine> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffered += decoder.decode(value, { stream: !done });
    let end = buffered.indexOf('\n');
    while (end >= 0) {
      const line = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (line !== '') yield JSON.parse(line) as StepLine;
      end = buffered.indexOf('\n');
    }
    if (done) return;
  }
}

/** What a refusal page says (its alert), or the status it came with. */
async function refusal(response: Response): Promise<string> {
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  const problem = page.querySelector('[role="alert"]')?.textContent?.trim();
  return problem ? `Not run: ${problem}` : `Not run: the console answered ${response.status}.`;
}

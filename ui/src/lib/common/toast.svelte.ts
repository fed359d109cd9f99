export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
  testid?: string;
}

export interface Toast {
  id: number;
  message: string;
  action: ToastAction | null;
}

/** One toast at a time: a newer message replaces the older, as in a status bar. */
export class Toasts {
  current = $state<Toast | null>(null);
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  show(message: string, options: { action?: ToastAction; seconds?: number } = {}): void {
    clearTimeout(this.#timer);
    const id = ++this.#seq;
    this.current = { id, message, action: options.action ?? null };
    // An undo stays longer: reading "deleted" and reaching for the button takes a moment.
    const seconds = options.seconds ?? (options.action ? 10 : 4);
    this.#timer = setTimeout(() => this.dismiss(id), seconds * 1000);
  }

  dismiss(id?: number): void {
    if (id === undefined || this.current?.id === id) {
      clearTimeout(this.#timer);
      this.current = null;
    }
  }
}

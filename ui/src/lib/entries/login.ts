import type { LoginStatus } from '../ipc/types';
import { t, type MessageKey } from '../i18n/index.svelte';

/** Where a login stands, in the user's language ("Not filled: this page is on …"). */
export function loginStatusText(status: LoginStatus): string {
  switch (status.state) {
    case 'filling':
      return t(status.step ? (`login.filling.${status.step}` as MessageKey) : 'login.filling');
    case 'not-filled': {
      const why = status.notFilled;
      if (!why) return t('login.notFilled.unparseable');
      return t(`login.notFilled.${why.reason}` as MessageKey, { page: why.page ?? '', sites: why.sites.join(', ') });
    }
    case 'opening':
      return t('login.opening');
    case 'needs-confirmation':
      return t('login.needsConfirmation');
    case 'needs-totp':
      return t('login.needsTotp');
    case 'signed-in':
      return t('login.signedIn');
    case 'no-login-form':
      return t('login.noLoginForm');
    case 'refused':
      return t('login.refused');
    case 'locked':
      return t('login.locked');
    case 'entry-gone':
      return t('login.entryGone');
    case 'closed':
      return t('login.closed');
    case 'timed-out':
      return t('login.timedOut');
  }
}

/** Whether the status is a problem the user should look at (shown as a warning). */
export function loginNeedsLook(status: LoginStatus): boolean {
  return ['not-filled', 'needs-totp', 'no-login-form', 'refused', 'timed-out'].includes(status.state);
}

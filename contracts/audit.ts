/** The audit log's coded values as people read them (the console's audit list and the Excel export). */
import { t, type Text } from './i18n';

export const AUDIT_OUTCOMES: Record<'ok' | 'refused' | 'error', Text> = {
  ok: t('成功', 'OK'),
  refused: t('拒绝', 'Refused'),
  error: t('出错', 'Error'),
};

/** Who acted: a person, another government system (API key), or a caller not signed in. */
export const ACTOR_KINDS: Record<'user' | 'integration' | 'anonymous', Text> = {
  user: t('用户', 'User'),
  integration: t('外部系统', 'Integration'),
  anonymous: t('未登录', 'Not signed in'),
};

import { Anchor, Loader, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useOp, useOpMutation } from '../../api/ops';
import { errorMessage } from '../../i18n/errors';
import { SectionCard } from '../../ui/SectionCard';

/** "Sécurité" of the organization: require two-step verification of its members (SPEC A6). */
export function SecurityPolicyCard({ canEdit, closed }: { canEdit: boolean; closed: boolean }) {
  const { t } = useTranslation();
  const policy = useOp('security.orgPolicy', {});
  const set = useOpMutation('security.setOrgPolicy', {
    input: (requireTwoFactor: boolean) => ({ requireTwoFactor }),
    notify: false,
    updates: 'security.orgPolicy',
    invalidates: ['session.current', 'twoFactor.status'],
    onSuccess: (p) =>
      notifications.show({ color: 'teal', message: p.requireTwoFactor ? t('company.security.required') : t('company.security.notRequired') }),
  });
  // Turning the rule on first needs one's own second step: say where to set it.
  const error =
    isApiError(set.error) && set.error.fields.requireTwoFactor === 'two_factor_enable_first' ? (
      <>
        {t('company.security.enableFirst')}{' '}
        <Anchor component={Link} to="/account?tab=security" fz="inherit">
          {t('company.security.enableFirstLink')}
        </Anchor>
      </>
    ) : (
      set.errorText
    );

  const checked = set.isPending ? !!set.variables : !!policy.data?.requireTwoFactor;
  return (
    <SectionCard title={t('company.security.title')} description={t('company.security.description')}>
      {policy.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {policy.isError && <Text c="red">{errorMessage(t, policy.error)}</Text>}
      {policy.data && (
        <Switch
          size="md"
          label={t('company.security.requireTwoFactor')}
          description={checked ? t('company.security.onHint') : t('company.security.offHint')}
          checked={checked}
          disabled={!canEdit || closed || set.isPending}
          onChange={(e) => set.mutate(e.currentTarget.checked)}
          error={error}
        />
      )}
      {policy.data && !canEdit && (
        <Text c="dimmed" fz="sm">
          {t('company.security.readOnly')}
        </Text>
      )}
    </SectionCard>
  );
}

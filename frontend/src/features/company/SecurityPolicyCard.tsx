import { useState, type ReactNode } from 'react';
import { Anchor, Loader, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { call, isApiError } from '../../api/client';
import { keys } from '../../api/queries';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { SectionCard } from '../account/SectionCard';

export const orgPolicyKey = ['security.orgPolicy'] as const;

/** "Sécurité" of the organization: require two-step verification of its members (SPEC A6). */
export function SecurityPolicyCard({ canEdit, closed }: { canEdit: boolean; closed: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const policy = useQuery({ queryKey: orgPolicyKey, queryFn: () => call('security.orgPolicy', {}) });
  const [error, setError] = useState<ReactNode>(null);
  const set = useMutation({
    mutationFn: (requireTwoFactor: boolean) => call('security.setOrgPolicy', { requireTwoFactor }),
    onMutate: () => setError(null),
    onSuccess: (p) => {
      client.setQueryData(orgPolicyKey, p);
      void client.invalidateQueries({ queryKey: keys.session });
      void client.invalidateQueries({ queryKey: ['twoFactor.status'] });
      notifications.show({ color: 'teal', message: p.requireTwoFactor ? t('company.security.required') : t('company.security.notRequired') });
    },
    onError: (err) => {
      if (isApiError(err) && err.fields.requireTwoFactor === 'two_factor_enable_first') {
        setError(
          <>
            {t('company.security.enableFirst')}{' '}
            <Anchor component={Link} to="/account?tab=security" fz="inherit">
              {t('company.security.enableFirstLink')}
            </Anchor>
          </>,
        );
        return;
      }
      const f = fieldErrors(t, err, ['requireTwoFactor']);
      setError(f?.requireTwoFactor ?? errorMessage(t, err));
    },
  });

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

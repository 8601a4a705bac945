import { useEffect, useState } from 'react';
import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { loadStrength } from './strength';

const colors = ['red', 'red', 'orange', 'teal', 'green'];

/** A strength bar under a new-password field, with a plain-words verdict. */
export function StrengthMeter({ password, userInputs }: { password: string; userInputs: string[] }) {
  const { t } = useTranslation();
  const [score, setScore] = useState<number | null>(null);
  const inputs = userInputs.join('\u0000');
  useEffect(() => {
    let live = true;
    if (!password) {
      setScore(null);
      return;
    }
    void loadStrength().then((check) => {
      if (live) setScore(check(password, inputs.split('\u0000')));
    });
    return () => {
      live = false;
    };
  }, [password, inputs]);
  if (!password || score === null) return null;
  const shown = password.length < 12 ? Math.min(score, 1) : score;
  return (
    <Stack gap={4} data-testid="strength-meter">
      <Progress value={(shown + 1) * 20} color={colors[shown]} size="sm" aria-hidden />
      <Text fz="sm" c="dimmed" aria-live="polite">
        {t(`security.strength.${shown}`)}
        {password.length < 12 ? ` · ${t('security.strength.tooShort')}` : ''}
      </Text>
    </Stack>
  );
}

import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SessionProvider } from '../../api/queries';
import type { MemberDetail, MemberItem } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { AwaySection } from './MemberAway';

const claire: MemberItem = {
  id: 'm1', accountId: 'a1', firstName: 'Claire', lastName: 'Petit', email: 'claire.petit@example.fr',
  status: 'active', employeeRef: '', jobTitle: '', roles: [],
};
const anne: MemberItem = { ...claire, id: 'm2', accountId: 'a2', firstName: 'Anne', lastName: 'Martin', email: 'anne.martin@example.fr' };

function detail(member: MemberItem): MemberDetail {
  return { member, isMe: false, nameEditable: true, active: true, directRights: [], effective: [], applications: [] };
}

const away = detail({ ...claire, status: 'away', away: { returnsOn: '2026-03-29', delegate: { id: 'a2', name: 'Anne Martin' }, delegateMemberId: 'm2' } });

async function show(d: MemberDetail) {
  const fake = fakeTransport({
    'members.list': () => ({ items: [claire, anne], nextCursor: '', total: 2, totalCapped: false }),
    'members.setAway': () => away,
    'members.endAway': () => detail(claire),
  });
  await renderWithApp(
    <SessionProvider value={makeSession()}>
      <AwaySection detail={d} />
    </SessionProvider>,
    fake.transport,
  );
  return fake;
}

describe('Absence', () => {
  it('marks a member away with a return date typed jj/mm/aaaa and a delegate', async () => {
    const fake = await show(detail(claire));
    await userEvent.click(screen.getByRole('button', { name: 'Déclarer une absence' }));
    const dialog = await screen.findByRole('dialog', { name: 'Absence de Claire Petit' });
    const date = within(dialog).getByRole('textbox', { name: 'Date de retour' });
    await userEvent.click(date);
    await userEvent.paste('29/03/2026');
    await userEvent.tab();
    await userEvent.click(within(dialog).getByLabelText('Remplacement'));
    await userEvent.click(await screen.findByRole('option', { name: /Anne Martin/ }));
    // The member going away is not offered as their own delegate.
    expect(screen.queryByRole('option', { name: /Claire Petit/ })).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: "Enregistrer l'absence" }));
    expect(fake.inputsOf('members.setAway')).toEqual([{ memberId: 'm1', returnsOn: '2026-03-29', delegateId: 'm2' }]);
  });

  it('says until when and who stands in, and ends in one click', async () => {
    const fake = await show(away);
    const region = screen.getByRole('region', { name: 'Absence' });
    expect(region).toHaveTextContent('Absence en cours, retour prévu le 29/03/2026.');
    expect(region).toHaveTextContent('Ses nouvelles tâches vont à Anne Martin.');
    await userEvent.click(within(region).getByRole('button', { name: "Mettre fin à l'absence" }));
    expect(fake.inputsOf('members.endAway')).toEqual([{ memberId: 'm1' }]);
  });
});

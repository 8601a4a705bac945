import { useCallback } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';

/** The search parameter that names the member whose record is open: `…/users?member=<id>`. */
export const MEMBER_PARAM = 'member';

/**
 * The member record open on the members page lives in the address, so a link
 * opens it and Back closes it. Opening from the list adds a step to the
 * history; closing goes back that step, or, for a record opened from a link,
 * takes the member out of the address in place.
 */
export function useOpenMember() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const openId = params.get(MEMBER_PARAM);
  const open = useCallback(
    (id: string) => {
      const next = new URLSearchParams(params);
      next.set(MEMBER_PARAM, id);
      // Moving from one record to another replaces the step: Back still leaves the record.
      setParams(next, { state: { memberOpened: true }, replace: openId !== null });
    },
    [params, setParams, openId],
  );
  const close = useCallback(() => {
    if ((location.state as { memberOpened?: boolean } | null)?.memberOpened) {
      navigate(-1);
      return;
    }
    const next = new URLSearchParams(params);
    next.delete(MEMBER_PARAM);
    setParams(next, { replace: true });
  }, [location.state, navigate, params, setParams]);
  return { openId, open, close };
}

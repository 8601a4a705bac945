import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { call } from './client';
import type { ApiError } from './errors';
import { useTabOrg } from './org';
import type { OperationName, Operations } from './types.gen';
import { failureText, fieldErrors } from '../i18n/errors';
import { focusFirstError } from './focusFirstError';

type In<K extends OperationName> = Operations[K]['input'];
type Out<K extends OperationName> = Operations[K]['output'];

// The two answers that say which organization the tab shows, rather than
// read inside one: keyed without it.
const UNSCOPED: ReadonlySet<OperationName> = new Set<OperationName>(['setup.status', 'session.current']);

const isEmpty = (input: unknown) => !input || (typeof input === 'object' && Object.keys(input).length === 0);

/**
 * The one query key of an operation's answer: the operation, the
 * organization it was asked in, and its input (left out when empty). Two
 * dossiers' answers never share a key; invalidating [op] reaches them all.
 */
export function opKey<K extends OperationName>(op: K, org: string, input?: In<K> | object): QueryKey {
  const key: unknown[] = [op];
  if (!UNSCOPED.has(op)) key.push(org);
  if (!isEmpty(input)) key.push(input);
  return key;
}

/** Marks the answers of these operations stale, in every organization. */
export function invalidateOps(client: QueryClient, ops: readonly OperationName[]): Promise<unknown> {
  return Promise.all(ops.map((op) => client.invalidateQueries({ queryKey: [op] })));
}

export type OpQueryOptions<K extends OperationName> = Omit<UseQueryOptions<Out<K>, ApiError>, 'queryKey' | 'queryFn'>;

/** Reads an operation's answer, in the organization this tab shows. */
export function useOp<K extends OperationName>(op: K, input: In<K>, options: OpQueryOptions<K> = {}) {
  const org = useTabOrg();
  return useQuery<Out<K>, ApiError>({ ...options, queryKey: opKey(op, org, input), queryFn: () => call(op, input, { org }) });
}

/**
 * An operation read page by page: `filter` keys the list, `input` builds one
 * page's input from its cursor. A list left behind is forgotten at once (a
 * refetch of an infinite list asks again for every page it holds), and while
 * a new filter loads the previous results stay on screen.
 */
export function useOpPages<K extends OperationName>(
  op: K,
  filter: object,
  pages: { input: (cursor: string) => In<K>; next: (last: Out<K>) => string | undefined },
  enabled = true,
) {
  const org = useTabOrg();
  return useInfiniteQuery({
    queryKey: opKey(op, org, filter),
    queryFn: ({ pageParam }) => call(op, pages.input(pageParam), { org }),
    initialPageParam: '',
    getNextPageParam: pages.next,
    gcTime: 0,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Operations whose answer has the same shape as K's: K's answer may stand for theirs. */
type SameAnswer<K extends OperationName> = {
  [Q in OperationName]: Out<K> extends Out<Q> ? Q : never;
}[OperationName];

/** A Mantine form, as far as field errors go. */
interface ErrorForm {
  getValues(): object;
  setErrors(errors: Record<string, string>): void;
}

export interface OpMutationOptions<K extends OperationName, V> {
  /** The variables of mutate() as the operation's input (by default they are). */
  input?: (vars: V) => In<K>;
  /** The backend's field errors go under this form's fields. */
  form?: ErrorForm;
  /** The form's fields (default: every field of its values). */
  fields?: readonly string[];
  /**
   * A failure not shown under a field is a notification (the default), or,
   * with false, left to the screen as `errorText`.
   */
  notify?: boolean;
  /** The answers this change makes stale. */
  invalidates?: readonly OperationName[];
  /** The answer this one replaces (same shape), put in the cache at once. */
  updates?: SameAnswer<K>;
  onMutate?: (vars: V) => unknown;
  onSuccess?: (out: Out<K>, vars: V) => unknown;
  onError?: (err: ApiError, vars: V) => unknown;
}

/**
 * Runs an operation that changes something, in the organization this tab
 * shows. `op` may depend on the variables (create or update). Field errors,
 * the default error notification and what to refresh are handled here, once.
 */
export function useOpMutation<K extends OperationName, V = In<K>>(op: K | ((vars: V) => K), options: OpMutationOptions<K, V> = {}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const org = useTabOrg();
  const { form, notify = true } = options;
  const formFields = () => options.fields ?? (form ? Object.keys(form.getValues()) : []);
  const mutation = useMutation<Out<K>, ApiError, V>({
    mutationFn: (vars) => {
      const name = typeof op === 'function' ? op(vars) : op;
      return call(name, options.input ? options.input(vars) : (vars as In<K>), { org });
    },
    onMutate: options.onMutate,
    onSuccess: async (out, vars) => {
      if (options.updates) client.setQueryData(opKey(options.updates, org), out);
      await options.onSuccess?.(out, vars);
      if (options.invalidates) void invalidateOps(client, options.invalidates);
    },
    onError: (err, vars) => {
      // The screen's own handling first: a field it empties keeps the error set below.
      options.onError?.(err, vars);
      const own = form ? fieldErrors(t, err, formFields()) : null;
      if (own && form) {
        form.setErrors(own);
        // Once the errors are drawn, bring the first one to the eye and the keyboard.
        requestAnimationFrame(() => focusFirstError(own));
      } else if (notify) notifications.show({ color: 'red', title: t('errors.title'), message: failureText(t, err) });
    },
  });
  /** What to say of the last failure when it is not under a field of the form. */
  const errorText = mutation.error ? failureText(t, mutation.error, form ? formFields() : []) : null;
  return { ...mutation, errorText };
}

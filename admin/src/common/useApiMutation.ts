/**
 * `useMutation` for the custom dataProvider methods: an expired session (401) still logs out, as it
 * does for react-admin's own calls; other refusals stay with the caller to show where they belong.
 */
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { useLogoutIfAccessDenied } from 'react-admin';

export function useApiMutation<TData, TVariables>(options: UseMutationOptions<TData, Error, TVariables>) {
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  return useMutation<TData, Error, TVariables>({
    ...options,
    onError: (error, variables, onMutateResult, context) => {
      if ((error as { status?: number }).status === 401) void logoutIfAccessDenied(error);
      options.onError?.(error, variables, onMutateResult, context);
    },
  });
}

/**
 * 职务 (a user's post, contracts/posts.ts) for the secretaries' annual 遍访 (plan item 4): none, or one
 * post of the user's level. The API refuses a post that does not fit the user's place, on this field.
 */
import { SelectInput, useLocaleState } from 'react-admin';
import { POSTS, POST_TITLES } from '../../../contracts/posts';
import { pick } from '../lib/text';

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

export function postTitle(post: string | null | undefined, locale: string): string {
  return post && post in POST_TITLES ? pick(POST_TITLES[post as keyof typeof POST_TITLES], locale) : '';
}

export function PostInput() {
  const [locale] = useLocaleState();
  return (
    <SelectInput
      source="post"
      choices={POSTS.map((p) => ({ id: p, name: postTitle(p, locale) }))}
      emptyText="fangfan.users.no_post"
      parse={blankToNull}
      helperText="fangfan.users.post_hint"
    />
  );
}

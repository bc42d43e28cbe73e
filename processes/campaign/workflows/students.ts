/**
 * The visit's questions about the household's students (item 51 and issue 21: the checklist asks about
 * each student): one answer per student the step lists, and a dropout (辍学) is an education problem.
 */
import type { FieldRefusal } from '../../../contracts/steps';
import { SCHOOLING, type CampaignStudent, type ChecklistEntry, type StudentAnswer } from '../contract';

/** The refusal of a visit form that leaves a listed student unanswered, answers twice or names someone not listed. */
export function studentsRefusal(students: CampaignStudent[], answers: StudentAnswer[] = []): FieldRefusal | undefined {
  const listed = new Map<string, number>();
  for (const s of students) listed.set(s.name, (listed.get(s.name) ?? 0) + 1);
  const answered = new Map<string, number>();
  for (const a of answers) answered.set(a.name, (answered.get(a.name) ?? 0) + 1);
  for (const [name, n] of listed) {
    if ((answered.get(name) ?? 0) < n) {
      return { field: 'students', rule: 'required', message: `未填写学生「${name}」的在校情况和教育资助，每名学生都须填写 (every student of the household needs an answer)` };
    }
  }
  for (const [name, n] of answered) {
    if ((listed.get(name) ?? 0) < n) {
      return { field: 'students', rule: 'listed', message: `「${name}」不在本户在校学生名单中或重复填写，请按名单逐一填写 (answer each listed student once)` };
    }
  }
  return undefined;
}

/**
 * The education item as the visit found it: failed when the checklist says so or a student dropped out
 * (辍学), its note naming the students who did.
 */
export function educationEntry(entry: ChecklistEntry, answers: StudentAnswer[] = []): ChecklistEntry {
  const dropouts = answers.filter((a) => a.schooling === 'dropped_out');
  if (dropouts.length === 0) return entry;
  const words = dropouts.map((a) => `学生${a.name}${SCHOOLING.dropped_out.zh}${a.note?.trim() ? `（${a.note.trim()}）` : ''}`).join('；');
  const note = entry.result === 'fail' && entry.note?.trim() ? `${entry.note.trim()}；${words}` : words;
  return { result: 'fail', note };
}

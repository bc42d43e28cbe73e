/** What a form's widgets may need to know about where they are used (the case's place, who is filling it). */
export interface FormContext {
  town?: string;
  village?: string;
  actorId?: string;
}

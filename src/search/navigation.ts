/**
 * The keyboard and mouse state of the side panel's result list: whether it
 * is open and which option is active (the one Enter opens).
 */

/** The list's state; `active` is -1 when no option is active. */
export interface IListState {
  open: boolean;
  active: number;
}

/** What can happen to the list. */
export type ListAction =
  /** The user typed: show the list, with the best result active. */
  | { type: 'input' }
  /**
   * New options arrived: the active one stays where the user moved it,
   * within the new list.
   */
  | { type: 'options'; count: number }
  /** ↓ (+1) or ↑ (-1), wrapping around; opens a closed list. */
  | { type: 'move'; delta: 1 | -1; count: number }
  /** The pointer is over an option, or Home/End. */
  | { type: 'activate'; index: number; count: number }
  | { type: 'open' }
  | { type: 'close' };

/** A closed list with nothing active. */
export const CLOSED_LIST: IListState = { open: false, active: -1 };

/** The next list state after `action`. */
export function listReducer(state: IListState, action: ListAction): IListState {
  switch (action.type) {
    case 'input':
      return { open: true, active: 0 };
    case 'options':
      return {
        ...state,
        active:
          action.count > 0
            ? Math.min(Math.max(state.active, 0), action.count - 1)
            : -1
      };
    case 'move': {
      const { count, delta } = action;
      if (count <= 0) {
        return { open: true, active: -1 };
      }
      if (!state.open || state.active < 0) {
        return { open: true, active: delta > 0 ? 0 : count - 1 };
      }
      return { open: true, active: (state.active + delta + count) % count };
    }
    case 'activate':
      return action.index >= 0 && action.index < action.count
        ? { ...state, active: action.index }
        : state;
    case 'open':
      return { ...state, open: true };
    case 'close':
      return { ...state, open: false };
  }
}

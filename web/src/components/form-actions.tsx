// The two buttons that end the app's small forms: save (off while saving) and cancel.
export function FormActions({
  submit,
  pending,
  onCancel,
}: {
  readonly submit: string;
  readonly pending: boolean;
  readonly onCancel: () => void;
}) {
  return (
    <div className="actions">
      <button type="submit" disabled={pending}>
        {submit}
      </button>
      <button type="button" className="quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

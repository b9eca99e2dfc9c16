/**
 * New customer (directory) or "Save as customer" (an unknown sender's
 * conversation): name, phone (any format; stored in E.164), e-mail, a
 * vehicle registration. A phone another customer already has offers to open
 * that customer instead.
 */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { createCustomer } from '../api/customers';
import { Dialog } from '../shell/Dialog';

type Props = { open: boolean; onClose(): void; fromConversationId?: string; initialName?: string; onCreated?(id: string): void };

export function CustomerForm({ open, onClose, fromConversationId, initialName = '', onCreated }: Props) {
  const [name, setName] = useState(initialName);
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [registration, setRegistration] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [existingId, setExistingId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const client = useQueryClient();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setExistingId(null);
    try {
      const { id } = await createCustomer({
        name,
        ...(phone.trim() ? { phone } : {}),
        ...(email.trim() ? { email } : {}),
        ...(registration.trim() ? { vehicles: [{ registration }] } : {}),
        ...(fromConversationId ? { fromConversationId } : {}),
      });
      void client.invalidateQueries({ queryKey: ['customers'] });
      onClose();
      if (onCreated) onCreated(id);
      else void navigate(`/customers/${id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not save the customer.');
      if (err instanceof ApiError && err.code === 'duplicate_phone' && typeof err.details?.existingCustomerId === 'string') setExistingId(err.details.existingCustomerId);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={fromConversationId ? 'Save as customer' : 'New customer'} onClose={onClose}>
      <form className="customer-form" onSubmit={submit}>
        <label className="field"><span>Name</span><input value={name} onChange={(e) => setName(e.target.value)} required autoFocus /></label>
        {fromConversationId ? null : (
          <label className="field"><span>Mobile phone</span><input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="07700 900123" /></label>
        )}
        <label className="field"><span>E-mail</span><input type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
        <label className="field"><span>Vehicle registration</span><input value={registration} onChange={(e) => setRegistration(e.target.value)} placeholder="AB12 CDE" /></label>
        {error ? (
          <div className="error-box" role="alert">
            <p>{error}</p>
            {existingId ? (
              <button type="button" className="btn btn-small" onClick={() => { onClose(); void navigate(`/customers/${existingId}`); }}>Open the existing customer</button>
            ) : null}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>{busy ? 'Saving…' : 'Save customer'}</button>
        </div>
      </form>
    </Dialog>
  );
}

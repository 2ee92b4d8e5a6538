/**
 * One notification channel of a schedule (email, Slack or webhook): its
 * events, its settings, and a "Send test" that reports what happened.
 */
import { Notification } from '@jupyterlab/apputils';
import React, { useState } from 'react';

import { errorMessage } from '../notify';
import { sendTestNotification } from './api';
import { IChannelForm, testBlocker, testRequest } from './form';
import { EVENTS, IDelivery } from './types';

const KIND_LABELS = { email: 'Email', slack: 'Slack', webhook: 'Webhook' };

/** Props of {@link ChannelEditor}. */
export interface IChannelEditorProps {
  channel: IChannelForm;
  index: number;
  /** The schedule being edited (its saved channels keep hidden secrets). */
  scheduleId: string | null;
  error?: string | null;
  onChange: (channel: IChannelForm) => void;
  onRemove: () => void;
}

/** A text input bound to one string field of the channel. */
function TextInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: string;
  className?: string;
}): JSX.Element {
  return (
    <label className={`jp-DbtWorkbench-channelInput ${props.className ?? ''}`}>
      <span>{props.label}</span>
      <input
        className="jp-mod-styled"
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        spellCheck={false}
        onChange={event => props.onChange(event.target.value)}
      />
    </label>
  );
}

/** The form of one channel. */
export function ChannelEditor(props: IChannelEditorProps): JSX.Element {
  const { channel, onChange } = props;
  const [testing, setTesting] = useState(false);
  const [outcome, setOutcome] = useState<IDelivery | null>(null);
  const [testError, setTestError] = useState<string | null>(null);
  const set = (change: Partial<IChannelForm>): void =>
    onChange({ ...channel, ...change });

  const toggleEvent = (event: string, on: boolean): void =>
    set({
      events: on
        ? EVENTS.filter(e => e === event || channel.events.includes(e))
        : channel.events.filter(e => e !== event)
    });

  const problem = testBlocker(channel, props.scheduleId);
  const sendTest = async (): Promise<void> => {
    setTesting(true);
    setOutcome(null);
    setTestError(null);
    try {
      const delivery = await sendTestNotification(
        testRequest(channel, props.scheduleId)
      );
      setOutcome(delivery);
      if (delivery.status === 'sent') {
        Notification.success(
          `Test ${KIND_LABELS[channel.kind]} notification sent.`,
          { autoClose: 5000 }
        );
      } else {
        Notification.error(
          `Test ${KIND_LABELS[channel.kind]} notification failed: ${delivery.last_error ?? 'no detail'}`,
          { autoClose: 15000 }
        );
      }
    } catch (error) {
      setTestError(errorMessage(error));
    } finally {
      setTesting(false);
    }
  };

  const secretPlaceholder = (masked: boolean): string =>
    masked ? '•••••••• (hidden, kept)' : '';

  return (
    <fieldset
      className="jp-DbtWorkbench-channel"
      data-kind={channel.kind}
      data-index={props.index}
    >
      <legend>
        {KIND_LABELS[channel.kind]}
        <button
          type="button"
          className="jp-DbtWorkbench-schedIconButton"
          title="Remove this channel"
          onClick={props.onRemove}
        >
          ✕
        </button>
      </legend>
      <div className="jp-DbtWorkbench-channelEvents">
        {EVENTS.map(event => (
          <label key={event}>
            <input
              type="checkbox"
              checked={channel.events.includes(event)}
              onChange={e => toggleEvent(event, e.target.checked)}
            />
            {event}
          </label>
        ))}
      </div>
      {channel.kind === 'email' ? (
        <div className="jp-DbtWorkbench-channelGrid">
          <TextInput
            label="SMTP host"
            value={channel.host}
            placeholder="smtp.example.com"
            onChange={host => set({ host })}
          />
          <TextInput
            label="Port"
            value={channel.port}
            type="number"
            onChange={port => set({ port })}
          />
          <label className="jp-DbtWorkbench-channelInput">
            <span>STARTTLS</span>
            <input
              type="checkbox"
              checked={channel.starttls}
              onChange={event => set({ starttls: event.target.checked })}
            />
          </label>
          <TextInput
            label="Username"
            value={channel.username}
            placeholder="(no login)"
            onChange={username => set({ username })}
          />
          <TextInput
            label="Password"
            type="password"
            value={channel.password}
            placeholder={secretPlaceholder(channel.maskedPassword)}
            onChange={password => set({ password, maskedPassword: false })}
          />
          <TextInput
            label="From"
            value={channel.sender}
            placeholder="dbt@example.com"
            onChange={sender => set({ sender })}
          />
          <TextInput
            label="To"
            value={channel.recipients}
            placeholder="data-team@example.com, …"
            className="jp-DbtWorkbench-channelWide"
            onChange={recipients => set({ recipients })}
          />
        </div>
      ) : (
        <div className="jp-DbtWorkbench-channelGrid">
          <TextInput
            label={channel.kind === 'slack' ? 'Webhook URL' : 'URL'}
            type={channel.maskedUrl ? 'password' : 'text'}
            value={channel.url}
            placeholder={
              channel.maskedUrl
                ? secretPlaceholder(true)
                : channel.kind === 'slack'
                  ? 'https://hooks.slack.com/services/…'
                  : 'https://example.com/hooks/dbt'
            }
            className="jp-DbtWorkbench-channelWide"
            onChange={url => set({ url, maskedUrl: false })}
          />
          {channel.kind === 'webhook' ? (
            <TextInput
              label="HMAC secret"
              type="password"
              value={channel.secret}
              placeholder={
                channel.maskedSecret
                  ? secretPlaceholder(true)
                  : '(optional: signs the body)'
              }
              onChange={secret => set({ secret, maskedSecret: false })}
            />
          ) : null}
        </div>
      )}
      <div className="jp-DbtWorkbench-channelTest">
        <button
          type="button"
          className="jp-mod-styled jp-DbtWorkbench-channelTestButton"
          disabled={testing || problem !== null}
          title={problem ?? 'Send a test message through this channel now'}
          onClick={() => void sendTest()}
        >
          {testing ? 'Sending…' : 'Send test'}
        </button>
        {testing ? <span className="jp-DbtWorkbench-schedSpinner" /> : null}
        {outcome ? (
          <span
            className="jp-DbtWorkbench-channelOutcome"
            data-status={outcome.status}
          >
            {outcome.status === 'sent'
              ? 'Sent.'
              : `Failed: ${outcome.last_error ?? 'no detail'}`}
          </span>
        ) : null}
        {testError ? (
          <span className="jp-DbtWorkbench-channelOutcome" data-status="failed">
            {testError}
          </span>
        ) : null}
      </div>
      {props.error ? (
        <div className="jp-DbtWorkbench-schedFieldError" role="alert">
          {props.error}
        </div>
      ) : null}
    </fieldset>
  );
}

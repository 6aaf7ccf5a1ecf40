import { render } from 'preact';
import { App } from './app.tsx';
import './style.css';

render(<App />, document.getElementById('app')!);

// The service worker keeps the app shell for offline starts; requests to the authority and
// platforms always go to the network (a wallet must never answer from a stale copy).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}

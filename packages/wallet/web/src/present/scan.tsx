import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'preact/hooks';
import { parseUri, unwrapWalletLink } from '../../../src/present/view.ts';
import { useTexts } from '../i18n.ts';
import { WalletError } from '../net/errors.ts';
import { ErrorNote, Field, Screen } from '../ui/parts.tsx';

const TEXT = {
  zh: {
    title: '扫码认证',
    intro: '扫描平台页面上的二维码，或粘贴“打开钱包”的链接。',
    camera: '打开摄像头扫码',
    stopCamera: '关闭摄像头',
    cameraLabel: '摄像头画面',
    image: '或选择一张二维码图片',
    paste: '请求链接',
    pasteHint: '以 openid4vp:// 开头的链接',
    open: '打开请求',
  },
  en: {
    title: 'Scan a request',
    intro: 'Scan the QR code on the platform’s page, or paste the link behind it.',
    camera: 'Scan with the camera',
    stopCamera: 'Stop the camera',
    cameraLabel: 'Camera view',
    image: 'Or choose a picture of the QR code',
    paste: 'Request link',
    pasteHint: 'A link starting with openid4vp://',
    open: 'Open the request',
  },
};

/** A scanned or pasted link goes to the consent screen, marked as coming from another device. */
function openLink(text: string) {
  const link = unwrapWalletLink(text);
  // The same check the consent screen's resolution starts with: a client_id and a request.
  try {
    parseUri(link);
  } catch {
    throw new WalletError('not_a_request');
  }
  location.hash = `scanned=${encodeURIComponent(link)}`;
}

function decodeFrame(source: CanvasImageSource, width: number, height: number): string | undefined {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(source, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return jsQR(data, width, height)?.data;
}

export function ScanScreen() {
  const t = useTexts(TEXT);
  const [link, setLink] = useState('');
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<unknown>();
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!scanning) return;
    let stream: MediaStream | undefined;
    let frame = 0;
    let stopped = false;
    const tick = () => {
      const v = video.current;
      if (stopped || !v) return;
      if (v.readyState >= 2 && v.videoWidth) {
        const found = decodeFrame(v, v.videoWidth, v.videoHeight);
        if (found) {
          try {
            openLink(found);
            return;
          } catch (e) {
            setError(e);
          }
        }
      }
      frame = requestAnimationFrame(tick);
    };
    if (!navigator.mediaDevices) {
      setError(new WalletError('camera_unavailable'));
      setScanning(false);
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        video.current.play().catch(() => {});
        frame = requestAnimationFrame(tick);
      })
      .catch(() => {
        setError(new WalletError('camera_unavailable'));
        setScanning(false);
      });
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [scanning]);

  const fromImage = async (file: File | undefined) => {
    if (!file) return;
    try {
      const bitmap = await createImageBitmap(file);
      const found = decodeFrame(bitmap, bitmap.width, bitmap.height);
      if (!found) throw new WalletError('not_a_request');
      openLink(found);
    } catch (e) {
      setError(e instanceof WalletError ? e : new WalletError('not_a_request'));
    }
  };

  return (
    <Screen title={t.title}>
      <p>{t.intro}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => setScanning(!scanning)}>
          {scanning ? t.stopCamera : t.camera}
        </button>
      </div>
      {scanning ? <video class="scanner" ref={video} muted playsInline aria-label={t.cameraLabel} /> : null}
      <Field id="qr-image" label={t.image}>
        <input
          id="qr-image"
          type="file"
          accept="image/*"
          onChange={(e) => fromImage(e.currentTarget.files?.[0])}
        />
      </Field>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          try {
            openLink(link);
          } catch (err) {
            setError(err);
          }
        }}
      >
        <Field id="request-link" label={t.paste} hint={t.pasteHint}>
          <textarea
            id="request-link"
            rows={3}
            required
            value={link}
            aria-describedby="request-link-hint"
            onInput={(e) => setLink(e.currentTarget.value)}
          />
        </Field>
        <ErrorNote error={error} />
        <button type="submit" class="primary">
          {t.open}
        </button>
      </form>
    </Screen>
  );
}

/** One small stylesheet for both demo platforms: readable on a phone, visible focus, no assets. */
export const STYLE = `
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
header{background:var(--brand);color:#fff;padding:.8rem 1.5rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}
main{max-width:40rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:80vh;box-sizing:border-box}
h1{font-size:1.4rem}h2{font-size:1.1rem}
dt{font-weight:600;margin-top:.6rem}dd{margin-left:0;overflow-wrap:anywhere}
.button,button{display:inline-block;background:var(--brand);color:#fff;border:0;border-radius:.4rem;padding:.6rem 1.1rem;font-size:1rem;text-decoration:none;cursor:pointer}
.secondary{background:#5f6b7a}
.error{border-left:4px solid #c62828;padding:.2rem 1rem;background:#fdecea}
.ok{border-left:4px solid #2e7d32;padding:.2rem 1rem;background:#edf7ee}
.digits{font-size:2.2rem;letter-spacing:.4rem;font-variant-numeric:tabular-nums;margin:.2rem 0}
.qr svg{width:18rem;height:18rem;max-width:100%}
textarea{width:100%;min-height:8rem;font-family:ui-monospace,monospace;box-sizing:border-box}
code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}
a{color:#0b57d0}a:focus,button:focus,textarea:focus{outline:3px solid #f5a623}
`;

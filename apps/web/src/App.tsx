// TODO: the PWA (map, inbox, responses, chat, push, offline) is not built yet; this page only
// proves that the API serves the built client.
export function App() {
  return (
    <main>
      <h1>Tocsin</h1>
      <p>Emergency alerts and secure messaging for first responders.</p>
    </main>
  );
}

/** The last line against a blank screen: an error outside react-admin's page boundary is shown, with a reload. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" style={{ padding: 24, fontFamily: 'sans-serif' }}>
        <h2>页面出错了 (Something went wrong)</h2>
        <pre style={{ whiteSpace: 'pre-wrap' }}>{this.state.error.message}</pre>
        <button type="button" onClick={() => window.location.reload()}>
          重新加载 (Reload)
        </button>
      </div>
    );
  }
}

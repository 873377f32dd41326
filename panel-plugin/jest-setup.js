// Grafana's scaffolded setup (jest-dom, TextEncoder, matchMedia), plus what jsdom lacks for @grafana/ui.
// Test files that declare the node environment (the end-to-end ones) have no DOM to set up.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (typeof global.ResizeObserver === 'undefined') global.ResizeObserver = ResizeObserverStub;

class IntersectionObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
if (typeof global.IntersectionObserver === 'undefined') global.IntersectionObserver = IntersectionObserverStub;

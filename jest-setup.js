// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { configure } from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default, too short when the machine is loaded.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no layout observers; @grafana/ui's select menus (ScrollIndicators) and some
// layout components create them when they open.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
if (!global.IntersectionObserver) {
  global.IntersectionObserver = NoopObserver;
}
if (!global.ResizeObserver) {
  global.ResizeObserver = NoopObserver;
}

// jsdom has no MessageChannel; React 19's react-dom/server.browser (which @grafana/ui 13 imports)
// creates one as it loads. Messages are delivered on a timer, as a browser would, later.
if (!global.MessageChannel) {
  global.MessageChannel = class {
    constructor() {
      const port = (other) => ({
        onmessage: null,
        postMessage: (data) => setTimeout(() => other().onmessage?.({ data })),
        close() {},
      });
      this.port1 = port(() => this.port2);
      this.port2 = port(() => this.port1);
    }
  };
}

// jsdom's URL predates URL.canParse, which @grafana/data 13 uses to check link targets.
if (!URL.canParse) {
  URL.canParse = (url, base) => {
    try {
      new URL(url, base);
      return true;
    } catch {
      return false;
    }
  };
}

// i18next (inside @grafana/i18n) advertises itself with console.info on start; keep test
// output to what the tests say.
const info = console.info;
console.info = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('i18next')) {
    return;
  }
  info(...args);
};

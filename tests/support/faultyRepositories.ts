// Repositories that misbehave on purpose, for createServer's `repositories` option: the
// real repository answers everything except the method a test replaces.
type Method<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/** The real repository with one method replaced; the replacement gets the real method. */
export function withMethod<T extends object, K extends Method<T>>(real: T, method: K, replacement: (original: T[K]) => T[K]): T {
  const original = (real[method] as (...args: unknown[]) => unknown).bind(real) as T[K];
  const replaced = replacement(original);
  return new Proxy(real, {
    get(target, key) {
      if (key === method) return replaced;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Counts calls to the method and fails the first `failures` of them. */
export function failingFirst<T extends object, K extends Method<T>>(real: T, method: K, failures: number): { repository: T; calls(): number } {
  let calls = 0;
  const repository = withMethod(real, method, (original) => {
    const wrapped = (...args: unknown[]) => {
      calls++;
      if (calls <= failures) return Promise.reject(new Error(`injected failure of ${String(method)} (${calls} of ${failures})`));
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    return wrapped as T[K];
  });
  return { repository, calls: () => calls };
}

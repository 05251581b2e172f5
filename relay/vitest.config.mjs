// The storage adapter acceptance tests and one relay process's own tests
// run under vitest (the cluster tests are node --test files in tests/cluster/).
export default { test: { include: ['test/**/*.test.mjs'], testTimeout: 20000, hookTimeout: 60000 } };

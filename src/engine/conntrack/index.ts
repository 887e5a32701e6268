export * from './conntrack';

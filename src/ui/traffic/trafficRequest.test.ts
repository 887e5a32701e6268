import { describe, expect, it } from 'vitest';
import { trafficRequest } from './trafficRequest';

describe('trafficRequest', () => {
  it('TCP to port 80 carries GET / with the typed name as Host', () => {
    expect(trafficRequest('demo/client', ' web ', 80, 'TCP')).toEqual({
      from: 'demo/client',
      to: 'web',
      port: 80,
      protocol: 'TCP',
      http: { host: 'web', path: '/', method: 'GET' },
    });
  });
  it('port 8080 puts the port in the Host header', () => {
    expect(trafficRequest('demo/client', 'web', 8080, 'TCP').http).toEqual({
      host: 'web:8080',
      path: '/',
      method: 'GET',
    });
  });
  it('an http:// URL gives host, port and path', () => {
    expect(trafficRequest('external', 'http://web.demo:8080/api?x=1', 80, 'TCP')).toEqual({
      from: 'external',
      to: 'web.demo',
      port: 8080,
      protocol: 'TCP',
      http: { host: 'web.demo:8080', path: '/api?x=1', method: 'GET' },
    });
  });
  it('UDP, other ports and https:// URLs carry no request text', () => {
    expect(trafficRequest('demo/client', 'kube-dns.kube-system', 53, 'UDP').http).toBeUndefined();
    expect(trafficRequest('demo/client', 'web', 80, 'UDP').http).toBeUndefined();
    expect(trafficRequest('demo/client', 'db', 5432, 'TCP').http).toBeUndefined();
    const tls = trafficRequest('demo/client', 'https://web', 443, 'TCP');
    expect(tls.http).toBeUndefined();
    expect(tls.to).toBe('web');
  });
});

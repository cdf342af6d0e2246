import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressPolicy, cidrProblem, embeddedIpv4 } from './address-policy';

const policy = new AddressPolicy();

describe('AddressPolicy (draft-ietf-oauth-client-id-metadata-document §6: server-side request forgery)', () => {
  it('refuses every private, loopback, link-local, shared, reserved and multicast IPv4 range, at both ends', () => {
    const refused = [
      ['0.0.0.0', '0.255.255.255'],
      ['10.0.0.0', '10.255.255.255'],
      ['100.64.0.0', '100.127.255.255'],
      ['127.0.0.1', '127.255.255.254'],
      ['169.254.0.1', '169.254.169.254'],
      ['172.16.0.0', '172.31.255.255'],
      ['192.0.0.0', '192.0.0.255'],
      ['192.0.2.1', '198.51.100.7'],
      ['203.0.113.9', '203.0.113.255'],
      ['192.168.0.1', '192.168.255.255'],
      ['198.18.0.0', '198.19.255.255'],
      ['224.0.0.1', '239.255.255.255'],
      ['240.0.0.1', '255.255.255.254'],
      ['255.255.255.255', '255.255.255.255'],
    ].flat();
    for (const ip of refused) assert.equal(policy.isAllowed(ip), false, ip);
  });

  it('admits public IPv4 addresses next to the refused ranges', () => {
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '11.0.0.1',
      '100.63.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '169.253.1.1',
      '198.17.255.255',
      '198.20.0.0',
      '223.255.255.255',
    ]) {
      assert.equal(policy.isAllowed(ip), true, ip);
    }
  });

  it('refuses IPv6 loopback, unspecified, unique-local, link-local, site-local, multicast and documentation addresses', () => {
    for (const ip of [
      '::1',
      '::',
      'fc00::1',
      'fdff:ffff::1',
      'fe80::1',
      'febf::1',
      'fec0::1',
      'ff02::1',
      '2001:db8::1',
      '100::1',
      'fe80::1%eth0',
    ]) {
      assert.equal(policy.isAllowed(ip), false, ip);
    }
    for (const ip of ['2606:4700:4700::1111', '2a00:1450:4001::200e']) assert.equal(policy.isAllowed(ip), true, ip);
  });

  it('judges IPv4-mapped, IPv4-compatible, NAT64 and 6to4 addresses by the IPv4 address inside', () => {
    for (const ip of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '::10.0.0.1',
      '64:ff9b::10.0.0.1',
      '64:ff9b::a00:1',
      '64:ff9b:1::c0a8:1',
      '2002:7f00:1::1',
      '2002:c0a8:101::',
    ]) {
      assert.equal(policy.isAllowed(ip), false, ip);
    }
    for (const ip of ['::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) assert.equal(policy.isAllowed(ip), true, ip);
    assert.equal(embeddedIpv4('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(embeddedIpv4('2606:4700::1111'), undefined);
  });

  it('refuses anything that is not an IP address', () => {
    for (const value of ['', 'localhost', 'example.com', '127.1', '0x7f000001', '2130706433'])
      assert.equal(policy.isAllowed(value), false, value);
  });

  it('admits what the allow-list names, in any dress, and nothing next to it', () => {
    const allowing = new AddressPolicy(['127.0.0.1/32', '10.20.0.0/16', 'fd00:1::/32']);
    for (const ip of ['127.0.0.1', '::ffff:127.0.0.1', '10.20.3.4', 'fd00:1::5']) assert.equal(allowing.isAllowed(ip), true, ip);
    for (const ip of ['127.0.0.2', '10.21.0.1', 'fd00:2::1', '169.254.169.254', '::1']) assert.equal(allowing.isAllowed(ip), false, ip);
    assert.equal(new AddressPolicy(['::1']).isAllowed('::1'), true);
  });

  it('checks allow-list entries as CIDR ranges', () => {
    for (const ok of ['10.0.0.0/8', '127.0.0.1', 'fd00::/8', '::1/128', '0.0.0.0/0']) assert.equal(cidrProblem(ok), undefined, ok);
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'intranet', '10.0.0.0/8/8', '10.0.0.0/x', 10]) assert.ok(cidrProblem(bad), String(bad));
  });
});

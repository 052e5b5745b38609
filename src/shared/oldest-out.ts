/**
 * Sets `key` in a map kept to `capacity` entries, dropping the oldest set first (a Map iterates in
 * insertion order). A key set again counts as new.
 */
export function setOldestOut<K, V>(map: Map<K, V>, capacity: number, key: K, value: V): void {
  map.delete(key);
  if (map.size >= capacity) map.delete(map.keys().next().value!);
  map.set(key, value);
}

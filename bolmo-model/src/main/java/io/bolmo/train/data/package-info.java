/**
 * Stage-1/2 training data for byteifying (model.md §2, §4.3, §6.1 Data, golden-losses data set C): corpus readers
 * ({@link io.bolmo.train.data.Corpus}), the document to byte/patch/teacher encoding
 * ({@link io.bolmo.train.data.ByteDocumentEncoder}), packing into fixed windows and batches
 * ({@link io.bolmo.train.data.BatchIterator}), a seeded epoch order, a hash-based held-out split, and a resumable
 * {@link io.bolmo.train.data.DataCursor}.
 */
package io.bolmo.train.data;

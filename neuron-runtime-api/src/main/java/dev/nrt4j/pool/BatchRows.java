package dev.nrt4j.pool;

import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import dev.nrt4j.TensorInfo;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row arithmetic of a batched model: packs the rows of several requests into one batch of the model's
 * compiled size (the rest zeros), and cuts each request's rows back out of the outputs. Rows are the
 * outermost dimension; with C-order data a request's rows are one contiguous run of bytes. Stateless.
 */
final class BatchRows {
    private BatchRows() {}

    /** The bytes of one row of a tensor whose first dimension is the batch. */
    static int rowBytes(TensorInfo info) {
        long[] dims = info.shape().dims();
        return (int) (info.shape().byteSize(info.dtype()) / dims[0]);
    }

    /** The shape of {@code rows} rows of {@code info}. */
    static Shape rowsOf(TensorInfo info, long rows) {
        long[] dims = info.shape().dims();
        dims[0] = rows;
        return Shape.of(dims);
    }

    /**
     * One input of the batch: each request's rows in turn, then zero rows up to the compiled size.
     *
     * @param info the model's input, batch first
     * @param parts each request's tensor for this input, already checked to be rows of {@code info}
     */
    static HostTensor pack(TensorInfo info, List<HostTensor> parts) {
        ByteBuffer batch = ByteBuffer.allocate((int) info.shape().byteSize(info.dtype()));
        for (HostTensor part : parts) {
            batch.put(part.data());
        }
        // The rest stays zero: padding rows a caller never sees.
        batch.position(0);
        return HostTensor.of(info.dtype(), info.shape(), batch);
    }

    /**
     * A request's outputs: rows {@code first} to {@code first + rows} of each of the batch's outputs.
     */
    static Map<String, HostTensor> slice(List<TensorInfo> outputs, Map<String, HostTensor> batch, int first, int rows) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (TensorInfo info : outputs) {
            int rowBytes = rowBytes(info);
            ByteBuffer all = batch.get(info.name()).data();
            ByteBuffer mine = all.duplicate().position(first * rowBytes).limit((first + rows) * rowBytes);
            out.put(info.name(), HostTensor.of(info.dtype(), rowsOf(info, rows), mine));
        }
        return out;
    }
}

package io.siyu.layer.internal;

import io.siyu.layer.ContactPolicy;
import io.siyu.layer.CustomerLayer;
import io.siyu.layer.Layers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Service;

/** Reads a customer's layers, with their contact policies and benefits, for other modules and the API. */
@Service
class LayersService implements Layers {

    private final DSLContext db;
    private final PolicyStore store;

    LayersService(DSLContext db, PolicyStore store) {
        this.db = db;
        this.store = store;
    }

    @Override
    public List<CustomerLayer> layersOf(long customerId) {
        var rows = db.select(PolicyStore.ID, PolicyStore.NAME, PolicyStore.PRIORITY, AssignmentStore.LAYER_ID,
                        AssignmentStore.SINCE)
                .from(AssignmentStore.CUSTOMER_LAYER)
                .join(PolicyStore.POLICY).on(PolicyStore.ID.eq(AssignmentStore.POLICY_ID))
                .where(AssignmentStore.CUSTOMER_ID.eq(customerId)).and(PolicyStore.ACTIVE.isTrue())
                .orderBy(PolicyStore.PRIORITY, PolicyStore.ID)
                .fetch();
        Map<Long, PolicyStore.LayerRow> layers = store.layersByIds(rows.map(r -> r.value4()));
        return rows.stream().filter(r -> layers.containsKey(r.value4())).map(r -> {
            PolicyStore.LayerRow l = layers.get(r.value4());
            return new CustomerLayer(r.value1(), r.value2(), r.value3(), l.id(), l.key(), l.name(), l.nameEn(),
                    l.colour(), l.isDefault(), r.value5(), l.contact(), l.benefits());
        }).toList();
    }

    @Override
    public Optional<ContactPolicy> contactPolicyOf(long customerId) {
        return layersOf(customerId).stream().findFirst().map(CustomerLayer::contactPolicy);
    }
}
